import { REFRESH_COOKIE, readCookie, clearSessionCookies } from '@/server/auth/cookies';
import { errorResponse, tenantOf, withCookies } from '@/server/auth/http';
import { endSession } from '@/server/services/identity/sessions';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    return withCookies({ ok: true }, await endSession(org.slug, readCookie(req.headers, REFRESH_COOKIE)));
  } catch (err) {
    if (err instanceof Error && 'code' in err) return withCookies({ ok: true }, clearSessionCookies());
    return errorResponse(err);
  }
}
