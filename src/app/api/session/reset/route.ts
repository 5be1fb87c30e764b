import { errorResponse, jsonBody, tenantOf } from '@/server/auth/http';
import { getEnv } from '@/server/env';
import { resetPassword } from '@/server/services/identity/password-reset';
import { clientIp, consume } from '@/server/services/rate-limit';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  try {
    const org = await tenantOf(req);
    await consume('ip', `${org.slug}:${clientIp(req.headers, getEnv().TRUST_PROXY)}`);
    await resetPassword(org.slug, await jsonBody(req));
    return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}
