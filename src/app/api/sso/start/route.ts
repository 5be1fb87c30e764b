import { linkBase, safeNext, tenantOf } from '@/server/auth/http';
import { OIDC_PROVIDER_ID } from '@/server/auth/oidc-config';
import { loadOrg } from '@/server/tenancy/org-cache';
import { samlLoginUrl } from '@/server/services/identity/saml';

export const dynamic = 'force-dynamic';

/** "Continue with single sign-on": off to the organisation's own IdP (OIDC via next-auth, or SAML). */
export async function GET(req: Request) {
  const next = safeNext(new URL(req.url).searchParams.get('next'));
  let target: string;
  try {
    const ctx = await tenantOf(req);
    const method = (await loadOrg(ctx.slug))?.auth?.method;
    if (method === 'saml') target = await samlLoginUrl(ctx.slug, linkBase(req, ctx), next);
    else if (method === 'oidc') {
      // Throws Next's redirect to the IdP (state, nonce and PKCE are kept by next-auth). Imported
      // lazily: next-auth only resolves inside Next's bundle, and SAML/password paths do not need it.
      const { signIn } = await import('@/auth');
      return await signIn(OIDC_PROVIDER_ID, { redirectTo: `/api/sso/complete?next=${encodeURIComponent(next)}` });
    } else target = '/sign-in';
  } catch (err) {
    if (err && typeof err === 'object' && 'digest' in err && String(err.digest).startsWith('NEXT_REDIRECT')) throw err;
    console.warn('[identity] SSO start failed:', (err as Error).message);
    target = '/sign-in?error=sso';
  }
  return new Response(null, { status: 303, headers: { location: target, 'cache-control': 'no-store' } });
}
