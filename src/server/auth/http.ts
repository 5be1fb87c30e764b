import { connectMongo } from '../db/mongo';
import { getEnv } from '../env';
import { AppError, httpStatusOf, isAppError } from '../errors';
import { classifyHost, hostFromHeaders } from '../tenancy/host';
import { resolveOrgByHost, type OrgContext } from '../tenancy/resolve';

/**
 * Shared plumbing of the session route handlers (/api/session/*, /api/saml/*): resolve the tenant
 * from the host (never from the body), and turn AppErrors into JSON with the right status and, for
 * 429, a Retry-After header.
 */
export async function tenantOf(req: Request): Promise<OrgContext> {
  const env = getEnv();
  const host = hostFromHeaders(req.headers, { trustProxy: env.TRUST_PROXY });
  const kind = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST }).kind;
  if (kind !== 'subdomain' && kind !== 'custom') throw new AppError('NOT_FOUND', 'No such workspace');
  await connectMongo();
  const org = await resolveOrgByHost(host);
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  if (org.status !== 'active') throw new AppError('FORBIDDEN', 'This workspace is not available');
  return org;
}

export function errorResponse(err: unknown): Response {
  if (!isAppError(err)) {
    console.error('[auth] unexpected error', err);
    return Response.json({ error: 'Something went wrong. Try again.' }, { status: 500 });
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  const retry = err.details?.retryAfterSeconds;
  if (err.code === 'TOO_MANY_REQUESTS' && typeof retry === 'number') headers.set('retry-after', String(retry));
  return Response.json({ error: err.message }, { status: httpStatusOf(err.code), headers });
}

/** A JSON body, or BAD_REQUEST; size-capped so a sign-in endpoint cannot be fed megabytes. */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > 16_384) throw new AppError('PAYLOAD_TOO_LARGE', 'Request too large');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('BAD_REQUEST', 'Invalid request body');
  }
}

export function withCookies(body: unknown, cookies: string[], status = 200): Response {
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const c of cookies) headers.append('set-cookie', c);
  return Response.json(body, { status, headers });
}

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeNext(raw: string | null | undefined): string {
  return raw && /^\/(?![/\\])[\w\-./?=&%]*$/.test(raw) ? raw : '/';
}

/** Base of links sent by mail: the scheme we serve and the host (with port) the request used. */
export function linkBase(req: Request, org: OrgContext): string {
  const env = getEnv();
  const raw = (env.TRUST_PROXY ? req.headers.get('x-forwarded-host') : null) ?? req.headers.get('host') ?? org.host;
  const port = raw.match(/:(\d{1,5})$/)?.[1];
  return `${env.PUBLIC_PROTOCOL}://${org.host}${port ? `:${port}` : ''}`;
}
