import { createInbox } from '@/server/services/inbox/inboxes';
import { startFakeGraph } from '../../support/fake-providers/graph';
import { META_SECRETS } from '../../support/inbox-fixtures';

/** The port the stack's META_GRAPH_BASE_URL points at (tests/e2e/setup/global-setup.ts). */
export const graphPort = () => Number(new URL(process.env.META_GRAPH_BASE_URL!).port);

/** A WhatsApp Cloud API inbox in the demo organisation, with the shared test secrets; its public id. */
export async function demoWhatsAppInbox(name: string, phoneNumberId: string): Promise<string> {
  const inbox = await createInbox('demo', {
    name,
    provider: 'meta',
    channel: 'whatsapp',
    meta: { ...META_SECRETS, phoneNumberId },
  } as never);
  return inbox.publicId;
}

/** The fake Graph API on the stack's Graph port, serving this phone number. */
export function startDemoGraph(phoneNumberId: string) {
  return startFakeGraph({ accessToken: META_SECRETS.accessToken, phoneNumberIds: [phoneNumberId], port: graphPort() });
}
