import { auth } from '@/auth';
import { safeNext, tenantOf } from '@/server/auth/http';
import { issueSession } from '@/server/services/identity/sessions';

export const dynamic = 'force-dynamic';

const AUTHJS_COOKIES = [
  'authjs.session-token',
  '__Secure-authjs.session-token',
  'authjs.callback-url',
  '__Secure-authjs.callback-url',
];

/**
 * The end of the OIDC dance: next-auth's short-lived cookie (signed with this organisation's secret)
 * names our user; it is exchanged for our own session and deleted.
 */
export async function GET(req: Request) {
  const next = safeNext(new URL(req.url).searchParams.get('next'));
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of AUTHJS_COOKIES) headers.append('set-cookie', `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  try {
    const org = await tenantOf(req);
    const session = (await auth()) as { uid?: unknown; org?: unknown } | null;
    const token = session as Record<string, unknown> | null;
    const uid = token?.uid;
    if (typeof uid !== 'string' || token?.org !== org.slug) throw new Error('no SSO identity');
    for (const c of (await issueSession(org.slug, uid)).cookies) headers.append('set-cookie', c);
    headers.set('location', next);
  } catch {
    headers.set('location', '/sign-in?error=sso');
  }
  return new Response(null, { status: 303, headers });
}
