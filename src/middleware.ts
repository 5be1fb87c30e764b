import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/server/env';
import { classifyHost, hostFromHeaders } from '@/server/tenancy/host';

/**
 * (Lives in src/ because the app does: Next.js only picks up middleware next to app/.)
 *
 * Thin by design: normalise the host, drop any tenant headers a client tried to send, tell the app
 * which kind of host this is, and route the platform host to the super-admin pages. Which
 * organisation a host belongs to is decided in Node code (src/server/tenancy/resolve.ts, cached),
 * never here.
 *
 *   <slug>.<BASE_DOMAIN>, custom domains -> the tenant app (src/app/(tenant)/...)
 *   PLATFORM_HOST                        -> /platform/... (src/app/(platform)/platform/...)
 *   anything else                        -> "no such workspace" (404)
 */
export const TENANT_HEADER_PREFIX = 'x-tenant-';

// Served on every host: load balancers and operators probe them by IP or internal name.
const ANY_HOST = [/^\/api\/webhooks\//, /^\/api\/tls\/ask$/, /^\/widget(\.js$|\/)/, /^\/api\/health$/, /^\/health$/, /^\/_next\//, /^\/favicon\.ico$/];

export function middleware(req: NextRequest) {
  const env = getEnv();
  const headers = new Headers(req.headers);
  for (const name of [...headers.keys()]) {
    if (name.startsWith(TENANT_HEADER_PREFIX)) headers.delete(name);
  }
  const host = hostFromHeaders(req.headers, { trustProxy: env.TRUST_PROXY });
  const cls = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST });
  headers.set('x-tenant-host', host);
  headers.set('x-tenant-kind', cls.kind);
  if (cls.kind === 'subdomain') headers.set('x-tenant-slug', cls.slug);

  const { pathname } = req.nextUrl;
  const pass = () => NextResponse.next({ request: { headers } });
  const rewrite = (path: string) => {
    const url = req.nextUrl.clone();
    url.pathname = path;
    return NextResponse.rewrite(url, { request: { headers } });
  };

  if (ANY_HOST.some((re) => re.test(pathname))) return pass();

  if (cls.kind === 'invalid') {
    if (pathname.startsWith('/api/')) return NextResponse.json({ error: 'No such workspace' }, { status: 404 });
    return rewrite('/unknown-workspace');
  }
  if (cls.kind === 'platform') {
    if (pathname.startsWith('/api/') || pathname.startsWith('/platform')) return pass();
    return rewrite(`/platform${pathname === '/' ? '' : pathname}`);
  }
  // Tenant hosts never reach the operator pages, whatever path they ask for.
  if (pathname.startsWith('/platform') || pathname === '/unknown-workspace') return rewrite('/not-found');
  return pass();
}

export const config = {
  runtime: 'nodejs',
  // Provider webhooks skip the middleware altogether: they are served on any host, read no tenant
  // header (the inbox id in the path decides), and at thousands per second its cost shows.
  matcher: ['/((?!_next/static|_next/image|api/webhooks/).*)'],
};
