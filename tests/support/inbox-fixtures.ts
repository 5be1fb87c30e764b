import { createHmac, randomBytes } from 'node:crypto';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { ensureTenantIndexes } from '@/server/db/models/tenant';
import { createInbox, type CreateInboxInput } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { twilioSignature } from '@/server/webhooks/twilio/verify';
import { createTestOrg } from '../helpers/orgs';

/**
 * Organisations with provider inboxes, and webhook requests signed exactly as Meta and Twilio sign
 * them, with bodies in their documented formats.
 */
export const META_SECRETS = {
  appSecret: 'app-secret-0123456789abcdef',
  verifyToken: 'verify-token-xyz123',
  accessToken: 'EAAG-fake-access-token-123',
};
export const TWILIO = {
  accountSid: `AC${'a1'.repeat(16)}`,
  authToken: 'twilio-auth-token-0123456789ab',
  fromNumber: '+15550001111',
};

export async function orgWithInbox(input: Partial<CreateInboxInput> = {}, org: { status?: 'active' | 'suspended' } = {}) {
  const slug = await createTestOrg(org);
  await ensurePlatformIndexes();
  await ensureTenantIndexes(tenantModels(slug));
  const phoneNumberId = `10${randomBytes(5).readUIntBE(0, 5)}`;
  const inbox = await createInbox(slug, {
    name: 'WhatsApp support',
    provider: 'meta',
    channel: 'whatsapp',
    meta: {
      ...META_SECRETS,
      phoneNumberId,
      pageId: `20${randomBytes(4).readUInt32BE(0)}`,
      igUserId: `178${randomBytes(4).readUInt32BE(0)}`,
    },
    ...input,
  } as CreateInboxInput);
  return { slug, inbox, phoneNumberId };
}

export const signMeta = (raw: string | Buffer, secret = META_SECRETS.appSecret) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export function metaRequest(publicId: string, body: unknown, opts: { signature?: string | null; base?: string } = {}): Request {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = opts.signature === undefined ? signMeta(raw) : opts.signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return new Request(`${opts.base ?? 'https://hooks.example.com'}/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    headers,
    body: raw,
  });
}

export function twilioRequest(
  publicId: string,
  params: Record<string, string>,
  opts: { authToken?: string; signature?: string | null } = {},
): Request {
  const url = `https://hooks.example.com/api/webhooks/twilio/${publicId}`;
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const sig = opts.signature === undefined ? twilioSignature(opts.authToken ?? TWILIO.authToken, url, form) : opts.signature;
  if (sig !== null) headers['x-twilio-signature'] = sig;
  return new Request(url, { method: 'POST', headers, body: form.toString() });
}

let seq = 0;
export const wamid = () => `wamid.HBgL${randomBytes(8).toString('hex')}${++seq}`;

/** WhatsApp Cloud API webhook: one entry, one `messages` change with the given messages/statuses. */
export function waWebhook(
  phoneNumberId: string,
  value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] },
  entries = 1,
) {
  const change = {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
      ...value,
    },
  };
  return {
    object: 'whatsapp_business_account',
    entry: Array.from({ length: entries }, () => ({ id: '102290129340398', changes: [change] })),
  };
}

export const waText = (from: string, body: string, id = wamid()) => ({
  from,
  id,
  timestamp: String(Math.floor(Date.now() / 1000)),
  type: 'text',
  text: { body },
});
export const waContact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });
export const waStatus = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  status,
  timestamp: String(Math.floor(Date.now() / 1000)),
  recipient_id: '15551234567',
  ...extra,
});

/** Several changes of several entries in one body (Meta batches them). */
export function waBatch(
  phoneNumberId: string,
  groups: Array<{ messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }>,
) {
  return {
    object: 'whatsapp_business_account',
    entry: groups.map((value) => ({
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
            ...value,
          },
        },
      ],
    })),
  };
}
