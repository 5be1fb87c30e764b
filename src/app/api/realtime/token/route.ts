import { getSessionUser } from '@/server/auth/session';
import { connectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { httpStatusOf, isAppError } from '@/server/errors';
import { mintRealtimeToken, REALTIME_TOKEN_TTL_SECONDS } from '@/server/realtime/token';
import { classifyHost, hostFromHeaders } from '@/server/tenancy/host';
import { resolveOrgByHost } from '@/server/tenancy/resolve';

export const dynamic = 'force-dynamic';

/**
 * Mints the short-lived socket handshake token for the signed-in user of the organisation this
 * host belongs to. POST (not GET) so the token never sits in a cache or a prefetch.
 */
export async function POST(req: Request) {
  try {
    const env = getEnv();
    const host = hostFromHeaders(req.headers, { trustProxy: env.TRUST_PROXY });
    const kind = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST }).kind;
    if (kind !== 'subdomain' && kind !== 'custom') return Response.json({ error: 'No such workspace' }, { status: 404 });
    await connectMongo();
    const org = await resolveOrgByHost(host);
    if (!org) return Response.json({ error: 'No such workspace' }, { status: 404 });
    if (org.status !== 'active') return Response.json({ error: 'Workspace unavailable' }, { status: 403 });
    const user = await getSessionUser(req.headers, org.slug);
    if (!user) return Response.json({ error: 'Sign in to continue' }, { status: 401 });
    const token = await mintRealtimeToken({ userId: user.id, slug: org.slug, sessionIssuedAt: user.issuedAt });
    return Response.json(
      { token, url: env.REALTIME_PUBLIC_URL, expiresIn: REALTIME_TOKEN_TTL_SECONDS },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    if (isAppError(err)) return Response.json({ error: err.message }, { status: httpStatusOf(err.code) });
    throw err;
  }
}
