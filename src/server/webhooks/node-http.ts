import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptWebhook, type WebhookProvider } from './accept';
import { WEBHOOK_BODY_LIMIT } from './raw-body';
import { handleWebchat } from './webchat/http';

/**
 * The webhook paths the Next.js routes serve (src/app/api/webhooks/**), for a plain node:http
 * server (the ingest process). Meta and Twilio go straight to acceptWebhook with the raw bytes
 * (no Web Request/Response in between: that is the cheap path the providers hit at volume); the
 * web-chat widget's posts go through the same Web-API shell the Next routes use.
 */
const PROVIDER_PATH = /^\/api\/webhooks\/(meta|twilio)\/([^/?]+)\/?$/;
const WEBCHAT_PATH = /^\/api\/webhooks\/webchat\/([^/?]+)(\/session)?\/?$/;

class TooLarge extends Error {}

/** The exact request bytes, refusing bodies over `limit` (declared or actual) without buffering them. */
export function readNodeBody(req: IncomingMessage, limit = WEBHOOK_BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume(); // drain and drop the rest, so the 413 can still be written
        reject(new TooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The URL as the provider called it (Twilio signs it): the proxy's forwarded scheme and host. */
export function publicUrl(req: IncomingMessage): string {
  const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();
  const proto = first(req.headers['x-forwarded-proto']) ?? 'http';
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}${req.url ?? '/'}`;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/** A malformed escape (`%zz`) names no inbox: 404, like any unknown id. */
function decodeId(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Serves one webhook request; answers 404 for paths that are not webhooks. */
export async function handleNodeWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const provider = PROVIDER_PATH.exec(path);
  const webchat = provider ? null : WEBCHAT_PATH.exec(path);
  const id = decodeId(provider?.[2] ?? webchat?.[1]);
  if (id && provider) return acceptProvider(provider[1] as WebhookProvider, id, req, res);
  if (id && webchat) return webchatViaWebApi(id, Boolean(webchat[2]), req, res);
  send(res, 404, 'Not found');
}

async function acceptProvider(provider: WebhookProvider, publicId: string, req: IncomingMessage, res: ServerResponse) {
  const method = req.method ?? 'GET';
  // The Next routes export GET only for Meta (the handshake) and POST for both.
  if (!(method === 'POST' || (method === 'GET' && provider === 'meta'))) return send(res, 405, 'Method not allowed');
  let body: Buffer;
  try {
    body = method === 'POST' ? await readNodeBody(req) : Buffer.alloc(0);
  } catch (err) {
    res.setHeader('connection', 'close'); // the rest of an oversized body is not worth reading
    return err instanceof TooLarge ? send(res, 413, 'Webhook body too large') : send(res, 400, 'Could not read the body');
  }
  const headers = req.headers;
  const result = await acceptWebhook(provider, publicId, {
    method,
    url: publicUrl(req),
    headers: { get: (name) => { const v = headers[name.toLowerCase()]; return (Array.isArray(v) ? v[0] : v) ?? null; } },
    body,
  });
  send(res, result.status, result.body, result.contentType);
}

async function webchatViaWebApi(publicId: string, session: boolean, req: IncomingMessage, res: ServerResponse) {
  const method = req.method ?? 'GET';
  if (method !== 'POST' && method !== 'OPTIONS') return send(res, 405, 'Method not allowed');
  let body: Buffer | undefined;
  try {
    body = method === 'POST' ? await readNodeBody(req, 16 * 1024) : undefined;
  } catch (err) {
    res.setHeader('connection', 'close');
    return err instanceof TooLarge ? send(res, 413, JSON.stringify({ error: 'Body too large' }), 'application/json') : send(res, 400, 'Could not read the body');
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request(publicUrl(req), { method, headers, body: body ? new Uint8Array(body) : undefined });
  const action = method === 'OPTIONS' ? 'preflight' : session ? 'session' : 'message';
  const response = await handleWebchat(action, publicId, request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
