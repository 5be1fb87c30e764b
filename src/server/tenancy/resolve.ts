import type { OrgStatus } from '../db/models/platform/org-constants';
import { getEnv } from '../env';
import { classifyHost } from './host';
import { loadOrg, slugForDomain } from './org-cache';

/**
 * Host -> organisation. Used by the Node side of every request (tRPC context, route handlers,
 * socket handshakes); middleware only normalises the host. Cached per process (org-cache.ts).
 */
export interface OrgContext {
  slug: string;
  name: string;
  status: OrgStatus;
  dbName: string;
  /** The normalised host the request used. */
  host: string;
  via: 'subdomain' | 'custom';
  configVersion: number;
}

/**
 * The organisation behind `host`, or null for the platform host, unknown workspaces, unverified
 * custom domains and malformed hosts. Suspended organisations are returned (status 'suspended') so
 * callers can show the suspended notice; callers must refuse API access for them.
 */
export async function resolveOrgByHost(host: string): Promise<OrgContext | null> {
  const env = getEnv();
  const cls = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST });
  let slug: string | null;
  if (cls.kind === 'subdomain') slug = cls.slug;
  else if (cls.kind === 'custom') slug = await slugForDomain(cls.domain);
  else return null;
  if (!slug) return null;
  const org = await loadOrg(slug);
  if (!org) return null;
  return {
    slug: org.slug,
    name: org.name,
    status: org.status,
    dbName: org.dbName,
    host: cls.kind === 'custom' ? cls.domain : `${cls.slug}.${env.BASE_DOMAIN}`,
    via: cls.kind,
    configVersion: org.configVersion ?? 1,
  };
}

/** Same context by slug (jobs and sockets that already know the organisation). */
export async function resolveOrgBySlug(slug: string): Promise<Omit<OrgContext, 'host' | 'via'> | null> {
  const org = await loadOrg(slug);
  return org
    ? { slug: org.slug, name: org.name, status: org.status, dbName: org.dbName, configVersion: org.configVersion ?? 1 }
    : null;
}

export { invalidateOrg, loadOrg } from './org-cache';
