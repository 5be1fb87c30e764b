import { hashPassword } from '@/server/crypto/passwords';
import { getEnv } from '@/server/env';
import { tenantModels } from '@/server/tenancy/connections';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { randomSlug } from './tenancy-helpers';

/** A provisioned organisation with one active password user, plus request builders for its host. */
export async function orgWithUser(opts: { prefix?: string; password?: string; auth?: Record<string, unknown> } = {}) {
  const slug = randomSlug(opts.prefix ?? 'id');
  const res = await provisionOrganization({
    slug,
    name: `Identity ${slug}`,
    firstAdmin: { email: `admin@${slug}.test` },
    ...(opts.auth ? { auth: opts.auth } : {}),
  } as Parameters<typeof provisionOrganization>[0]);
  const password = opts.password ?? 'Correct-horse-42';
  await tenantModels(slug).User.updateOne(
    { email: res.firstAdmin.email },
    { $set: { status: 'active', passwordHash: await hashPassword(password) } },
  );
  return { slug, email: res.firstAdmin.email, userId: res.firstAdmin.id, password, host: `${slug}.${getEnv().BASE_DOMAIN}` };
}

export function req(host: string, path: string, init: { method?: string; body?: unknown; cookie?: string; ip?: string } = {}) {
  const headers = new Headers({ host, 'content-type': 'application/json', 'x-forwarded-for': init.ip ?? '10.0.0.1' });
  if (init.cookie) headers.set('cookie', init.cookie);
  return new Request(`http://${host}${path}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

/** name=value pairs of the Set-Cookie headers, ready for a Cookie header. */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq)] = decodeURIComponent(pair!.slice(eq + 1));
  }
  return out;
}

export const cookieHeader = (c: Record<string, string>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('; ');
