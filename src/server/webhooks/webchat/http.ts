import { connectMongo } from '../../db/mongo';
import { AppError, httpStatusOf, isAppError } from '../../errors';
import { resolveInbox, type ResolvedInbox } from '../../services/inbox/inboxes';
import { acceptVisitorMessage, startVisitorSession } from '../../services/inbox/webchat';
import { readLimitedBody } from '../raw-body';
import { getEnv } from '../../env';

/**
 * HTTP shell of the web-chat widget: the widget runs on the organisation's own website, so these
 * answers carry CORS headers for the origins the inbox allows (all, when it lists none: the
 * visitor token, not the origin, is what authorises).
 */
function corsHeaders(inbox: ResolvedInbox | null, origin: string | null): Record<string, string> {
  const allowed = inbox?.webchat.allowedOrigins;
  const ok = origin && (!allowed?.length || allowed.includes(origin));
  return ok
    ? {
        'access-control-allow-origin': origin,
        'access-control-allow-headers': 'content-type, authorization',
        'access-control-allow-methods': 'POST, OPTIONS',
        vary: 'Origin',
      }
    : {};
}

const json = (status: number, body: unknown, headers: Record<string, string>) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });

export async function handleWebchat(
  action: 'session' | 'message' | 'preflight',
  publicId: string,
  req: Request,
): Promise<Response> {
  await connectMongo();
  const inbox = await resolveInbox(publicId);
  const cors = corsHeaders(inbox?.provider === 'webchat' ? inbox : null, req.headers.get('origin'));
  if (!inbox || inbox.provider !== 'webchat' || !inbox.enabled) return json(404, { error: 'Unknown inbox' }, cors);
  if (action === 'preflight') return new Response(null, { status: 204, headers: cors });
  if (req.headers.get('origin') && !cors['access-control-allow-origin']) return json(403, { error: 'Origin not allowed' }, {});
  try {
    const raw = await readLimitedBody(req.body, req.headers.get('content-length'), 16 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      throw new AppError('BAD_REQUEST', 'Body is not JSON');
    }
    if (action === 'session')
      return json(200, { ...(await startVisitorSession(inbox, body)), realtimeUrl: getEnv().REALTIME_PUBLIC_URL }, cors);
    return json(200, await acceptVisitorMessage(inbox, req.headers.get('authorization'), body), cors);
  } catch (err) {
    if (isAppError(err)) return json(httpStatusOf(err.code), { error: err.message }, cors);
    if ((err as { name?: string }).name === 'ZodError') return json(400, { error: 'Invalid request' }, cors);
    console.error('[webchat]', err);
    return json(503, { error: 'Temporarily unavailable, please retry' }, cors);
  }
}
