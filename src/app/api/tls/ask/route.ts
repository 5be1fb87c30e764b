import { connectMongo } from '@/server/db/mongo';
import { mayIssueCertificate } from '@/server/tenancy/domains';

export const dynamic = 'force-dynamic';

/**
 * Caddy's on-demand TLS `ask` (deploy/Caddyfile): GET /api/tls/ask?domain=<host>. 200 means "get a
 * certificate for it" (the platform host, an existing workspace, a *verified* custom domain);
 * anything else is 404, so nobody can make us request certificates for arbitrary names. Served on
 * any host: Caddy calls it by its internal address.
 */
export async function GET(req: Request) {
  const domain = new URL(req.url).searchParams.get('domain') ?? '';
  if (!domain || domain.length > 253) return new Response('domain required', { status: 400 });
  await connectMongo();
  const ok = await mayIssueCertificate(domain);
  return new Response(ok ? 'ok' : 'no', { status: ok ? 200 : 404, headers: { 'cache-control': 'no-store' } });
}
