import { NextRequest } from 'next/server';
import { handlers } from '@/auth';
import { getEnv } from '@/server/env';

export const dynamic = 'force-dynamic';

/**
 * next-auth derives its callback URL (and the redirect_uri it sends to the IdP's token endpoint)
 * from the request URL, which `next start` fills with its own listen address. Rebuild it from the
 * Host the browser used (the per-request config then checks that host is a known tenant), instead
 * of pinning one origin with AUTH_URL.
 */
function onBrowserHost(req: NextRequest): NextRequest {
  const env = getEnv();
  const host = (env.TRUST_PROXY ? req.headers.get('x-forwarded-host') : null) ?? req.headers.get('host');
  if (!host) return req;
  const url = new URL(req.url);
  const init = { method: req.method, headers: req.headers, body: req.body, duplex: 'half' } as RequestInit;
  return new NextRequest(new URL(`${url.pathname}${url.search}`, `${env.PUBLIC_PROTOCOL}://${host}`), init as never);
}

export const GET = (req: NextRequest) => handlers.GET(onBrowserHost(req));
export const POST = (req: NextRequest) => handlers.POST(onBrowserHost(req));
