import { getEnv } from '../env';
import { getSessionUser, getSuperAdminSession, type SessionUser, type SuperAdminSession } from '../auth/session';
import { classifyHost, hostFromHeaders, type HostClass } from '../tenancy/host';
import { resolveOrgByHost, type OrgContext } from '../tenancy/resolve';

/**
 * What every procedure sees. The organisation and the session are loaded lazily and at most once
 * per request: public procedures on the platform host never touch the tenant lookup.
 */
export interface TrpcContext {
  headers: Headers;
  host: string;
  hostClass: HostClass;
  org: () => Promise<OrgContext | null>;
  user: (org: OrgContext) => Promise<SessionUser | null>;
  superAdmin: () => Promise<SuperAdminSession | null>;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

export interface InnerContextOptions {
  host: string;
  headers?: Headers;
  /** Tests inject identities directly; HTTP requests read them from the session. */
  user?: SessionUser | null;
  superAdmin?: SuperAdminSession | null;
}

/** The context without HTTP: used by createCaller in tests and by the HTTP context below. */
export function createInnerContext(opts: InnerContextOptions): TrpcContext {
  const env = getEnv();
  const headers = opts.headers ?? new Headers({ host: opts.host });
  const hostClass = classifyHost(opts.host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST });
  const org = once(() => (hostClass.kind === 'subdomain' || hostClass.kind === 'custom' ? resolveOrgByHost(opts.host) : Promise.resolve(null)));
  return {
    headers,
    host: opts.host,
    hostClass,
    org,
    user: (o) => ('user' in opts ? Promise.resolve(opts.user ?? null) : getSessionUser(headers, o.slug)),
    superAdmin: once(() => ('superAdmin' in opts ? Promise.resolve(opts.superAdmin ?? null) : getSuperAdminSession(headers))),
  };
}

/** From a fetch Request (the /api/trpc route). The middleware already normalised the host. */
export function createHttpContext(req: Request): TrpcContext {
  const host = hostFromHeaders(req.headers, { trustProxy: getEnv().TRUST_PROXY });
  return createInnerContext({ host, headers: req.headers });
}
