import { handleWebhookRequest } from '@/server/webhooks/http';

export const dynamic = 'force-dynamic';

/** Twilio (SMS, WhatsApp): incoming messages and status callbacks, signed with X-Twilio-Signature. */
export async function POST(req: Request, { params }: { params: Promise<{ inboxId: string }> }) {
  return handleWebhookRequest('twilio', (await params).inboxId, req);
}
