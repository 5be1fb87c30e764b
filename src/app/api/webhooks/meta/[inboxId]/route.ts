import { handleWebhookRequest } from '@/server/webhooks/http';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ inboxId: string }> };

/** Meta (WhatsApp Cloud API, Messenger, Instagram): GET subscription handshake, POST signed events. */
export async function GET(req: Request, { params }: Ctx) {
  return handleWebhookRequest('meta', (await params).inboxId, req);
}

export async function POST(req: Request, { params }: Ctx) {
  return handleWebhookRequest('meta', (await params).inboxId, req);
}
