import { errorResponse, jsonBody, linkBase, tenantOf } from '@/server/auth/http';
import { getEnv } from '@/server/env';
import { requestPasswordReset } from '@/server/services/identity/password-reset';
import { clientIp } from '@/server/services/rate-limit';

export const dynamic = 'force-dynamic';

/** Always the same answer, whether or not the address has an account. */
export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    await requestPasswordReset(org.slug, await jsonBody(req), clientIp(req.headers, getEnv().TRUST_PROXY), linkBase(req, org));
    return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}
