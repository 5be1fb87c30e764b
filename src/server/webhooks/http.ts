import { connectMongo } from '../db/mongo';
import { httpStatusOf, isAppError } from '../errors';
import { acceptWebhook, type WebhookProvider } from './accept';
import { readLimitedBody } from './raw-body';

/** Web `Request` -> acceptWebhook -> `Response`; used by the Next.js route handlers. */
export async function handleWebhookRequest(provider: WebhookProvider, inboxId: string, req: Request): Promise<Response> {
  let body: Buffer;
  try {
    body = req.method === 'POST' ? await readLimitedBody(req.body, req.headers.get('content-length')) : Buffer.alloc(0);
  } catch (err) {
    if (isAppError(err)) return new Response(err.message, { status: httpStatusOf(err.code) });
    return new Response('Could not read the body', { status: 400 });
  }
  await connectMongo();
  const result = await acceptWebhook(provider, inboxId, { method: req.method, url: req.url, headers: req.headers, body });
  return new Response(result.body, {
    status: result.status,
    headers: { 'content-type': result.contentType, 'cache-control': 'no-store' },
  });
}
