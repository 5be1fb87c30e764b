import { handleWebchat } from '@/server/webhooks/webchat/http';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ inboxId: string }> };

/** Web-chat widget: start or resume a visitor (token from localStorage), with recent history. */
export async function POST(req: Request, { params }: Ctx) {
  return handleWebchat('session', (await params).inboxId, req);
}

export async function OPTIONS(req: Request, { params }: Ctx) {
  return handleWebchat('preflight', (await params).inboxId, req);
}
