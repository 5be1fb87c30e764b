import type { NextAuthConfig } from 'next-auth';
import { readOrgSecret } from '../crypto/secret-fields';
import { connectMongo } from '../db/mongo';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { findOrCreateSsoUser } from '../services/identity/sso-users';
import { classifyHost, hostFromHeaders } from '../tenancy/host';
import { loadOrg } from '../tenancy/org-cache';
import { resolveOrgByHost } from '../tenancy/resolve';
import { orgAuthJsSecret } from './org-keys';

/**
 * next-auth (v5) configuration for one request, built from the organisation the host resolves to:
 * its own OIDC issuer, client id and decrypted client secret, and its own signing secret. next-auth
 * only runs the OpenID Connect dance here; its short-lived cookie is exchanged for our own session
 * at /api/sso/complete. Unknown hosts get no configuration at all (no AUTH_URL: the host is checked
 * against known tenants instead of trusted blindly).
 */
export const OIDC_PROVIDER_ID = 'oidc';

export async function oidcConfigFor(headers: Headers): Promise<NextAuthConfig> {
  const env = getEnv();
  const host = hostFromHeaders(headers, { trustProxy: env.TRUST_PROXY });
  const kind = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST }).kind;
  if (kind !== 'subdomain' && kind !== 'custom') throw new AppError('NOT_FOUND', 'No such workspace');
  await connectMongo();
  const ctx = await resolveOrgByHost(host);
  const org = ctx && ctx.status === 'active' ? await loadOrg(ctx.slug) : null;
  const oidc = org?.auth?.oidc;
  if (!org || org.auth?.method !== 'oidc' || !oidc?.issuer || !oidc.clientId) {
    throw new AppError('NOT_FOUND', 'Single sign-on is not configured for this workspace');
  }
  const slug = org.slug;
  return {
    trustHost: true,
    basePath: '/api/auth',
    secret: orgAuthJsSecret(org),
    session: { strategy: 'jwt', maxAge: 5 * 60 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      {
        id: OIDC_PROVIDER_ID,
        name: 'Single sign-on',
        type: 'oidc',
        issuer: oidc.issuer,
        clientId: oidc.clientId,
        clientSecret: readOrgSecret(org, 'auth.oidc.clientSecret'),
        authorization: { params: { scope: (oidc.scopes?.length ? oidc.scopes : ['openid', 'email', 'profile']).join(' ') } },
        checks: ['pkce', 'state', 'nonce'],
      },
    ],
    callbacks: {
      async signIn({ profile }) {
        return typeof profile?.sub === 'string' && typeof profile.email === 'string';
      },
      async jwt({ token, profile }) {
        if (profile) {
          try {
            token.uid = await findOrCreateSsoUser(slug, {
              protocol: 'oidc',
              subject: `${oidc.issuer}|${String(profile.sub)}`,
              email: String(profile.email),
              name: typeof profile.name === 'string' ? profile.name.slice(0, 120) : undefined,
              emailVerified: profile.email_verified === true,
            });
          } catch (err) {
            console.warn(`[identity] OIDC sign-in refused for ${slug}:`, (err as Error).message);
            token.uid = null;
          }
          token.org = slug;
        }
        return token;
      },
      // Only /api/sso/complete reads this session, to learn which of our users signed in.
      session({ session, token }) {
        return { ...session, uid: token.uid, org: token.org };
      },
    },
  };
}
