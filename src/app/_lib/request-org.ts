import { headers } from 'next/headers';
import { cache } from 'react';
import { connectMongo } from '@/server/db/mongo';
import { loadOrg, resolveOrgByHost } from '@/server/tenancy/resolve';

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
  // Branding is public (shown to signed-out visitors); the cached record holds it.
  const doc = await loadOrg(org.slug);
  return doc ? { ...org, branding: doc.branding } : null;
});
