import { errorResponse, linkBase, tenantOf } from '@/server/auth/http';
import { samlMetadata } from '@/server/services/identity/saml';

export const dynamic = 'force-dynamic';

/** The service-provider metadata an IdP administrator imports (also the default SP entity id). */
export async function GET(req: Request) {
  try {
    const org = await tenantOf(req);
    const xml = await samlMetadata(org.slug, linkBase(req, org));
    return new Response(xml, {
      headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'no-store' },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
