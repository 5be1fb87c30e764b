import { REFRESH_COOKIE, readCookie, clearSessionCookies } from '@/server/auth/cookies';
import { errorResponse, safeNext, tenantOf, withCookies } from '@/server/auth/http';
import { refreshSession } from '@/server/services/identity/sessions';

export const dynamic = 'force-dynamic';

/** Rotate the refresh token (fetch from the client before the access token expires). */
export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    const session = await refreshSession(org.slug, readCookie(req.headers, REFRESH_COOKIE));
    return withCookies({ ok: true }, session.cookies);
  } catch (err) {
    const res = errorResponse(err);
    if (res.status === 401) for (const c of clearSessionCookies()) res.headers.append('set-cookie', c);
    return res;
  }
}

/** Server-rendered pages redirect here when the access cookie expired: rotate, then go back. */
export async function GET(req: Request) {
  const next = safeNext(new URL(req.url).searchParams.get('next'));
  const headers = new Headers({ 'cache-control': 'no-store' });
  try {
    const org = await tenantOf(req);
    const session = await refreshSession(org.slug, readCookie(req.headers, REFRESH_COOKIE));
    for (const c of session.cookies) headers.append('set-cookie', c);
    headers.set('location', next);
  } catch {
    for (const c of clearSessionCookies()) headers.append('set-cookie', c);
    headers.set('location', `/sign-in?next=${encodeURIComponent(next)}`);
  }
  return new Response(null, { status: 303, headers });
}
