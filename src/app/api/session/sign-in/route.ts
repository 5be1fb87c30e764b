import { errorResponse, jsonBody, tenantOf, withCookies } from '@/server/auth/http';
import { getEnv } from '@/server/env';
import { clientIp } from '@/server/services/rate-limit';
import { passwordSignIn } from '@/server/services/identity/password-sign-in';

export const dynamic = 'force-dynamic';

/** Password sign-in for the organisation of this host: sets the session cookies. */
export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    const session = await passwordSignIn(org.slug, await jsonBody(req), clientIp(req.headers, getEnv().TRUST_PROXY));
    return withCookies({ ok: true }, session.cookies);
  } catch (err) {
    return errorResponse(err);
  }
}
