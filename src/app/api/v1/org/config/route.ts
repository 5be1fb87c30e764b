import { errorResponse } from '@/server/auth/http';
import { connectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { hostFromHeaders } from '@/server/tenancy/host';
import { getPublicOrgConfig } from '@/server/tenancy/public-config';
import { resolveOrgByHost } from '@/server/tenancy/resolve';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/org/config: the public configuration of the organisation this host belongs to (name,
 * logo, favicon, colours, sign-in methods, features), built from an allow-list in public-config.ts,
 * so no secret can be in it. A suspended workspace answers 403 with just enough branding for its
 * "suspended" notice. ETag = configVersion, so clients revalidate cheaply.
 */
export async function GET(req: Request) {
  try {
    await connectMongo();
    const org = await resolveOrgByHost(hostFromHeaders(req.headers, { trustProxy: getEnv().TRUST_PROXY }));
    if (!org) return Response.json({ error: 'No such workspace' }, { status: 404 });
    const config = await getPublicOrgConfig(org.slug);
    const headers = { 'cache-control': 'no-cache', vary: 'Host', etag: `"${config.slug}-${config.configVersion}"` };
    if (config.status === 'suspended') {
      const { appName, logo, colors } = config.branding;
      return Response.json(
        { error: 'This workspace is suspended', status: 'suspended', branding: { appName, logo, colors } },
        { status: 403, headers },
      );
    }
    if (req.headers.get('if-none-match') === headers.etag) return new Response(null, { status: 304, headers });
    return Response.json(config, { headers });
  } catch (err) {
    return errorResponse(err);
  }
}
