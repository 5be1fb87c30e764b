import { headers } from 'next/headers';
import { cache } from 'react';
import { connectMongo } from '@/server/db/mongo';
import { getPublicOrgConfig } from '@/server/tenancy/public-config';
import { resolveOrgByHost } from '@/server/tenancy/resolve';

/**
 * The request's host as middleware.ts normalised it (client-sent x-tenant-* headers are stripped
 * there, so these values are ours). Cached per request by React's cache().
 */
export const requestHost = cache(async () => {
  const h = await headers();
  return { host: h.get('x-tenant-host') ?? '', kind: h.get('x-tenant-kind') ?? 'invalid' };
});

export const requestOrg = cache(async () => {
  const { host, kind } = await requestHost();
  if (kind !== 'subdomain' && kind !== 'custom') return null;
  await connectMongo();
  const org = await resolveOrgByHost(host);
  if (!org) return null;
  // Only the public configuration (allow-listed fields, default colours filled in) reaches pages.
  const config = await getPublicOrgConfig(org.slug);
  return { ...org, branding: config.branding, features: config.features, signIn: config.signIn };
});
