import { errorResponse, jsonBody, tenantOf, withCookies } from '@/server/auth/http';
import { getEnv } from '@/server/env';
import { acceptInvitation } from '@/server/services/identity/invitations';
import { clientIp, consume } from '@/server/services/rate-limit';

export const dynamic = 'force-dynamic';

/** Accept an invitation: set the password, activate the account, sign in. */
export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    await consume('ip', `${org.slug}:${clientIp(req.headers, getEnv().TRUST_PROXY)}`);
    const session = await acceptInvitation(org.slug, await jsonBody(req));
    return withCookies({ ok: true }, session.cookies);
  } catch (err) {
    return errorResponse(err);
  }
}
