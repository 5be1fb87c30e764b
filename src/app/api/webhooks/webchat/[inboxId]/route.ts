import { handleWebchat } from '@/server/webhooks/webchat/http';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ inboxId: string }> };

/** Web-chat widget: a visitor's message (Authorization: Bearer <visitor token>). */
export async function POST(req: Request, { params }: Ctx) {
  return handleWebchat('message', (await params).inboxId, req);
}

export async function OPTIONS(req: Request, { params }: Ctx) {
  return handleWebchat('preflight', (await params).inboxId, req);
}
