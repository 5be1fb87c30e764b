import { randomBytes } from 'node:crypto';
import { platformModels } from '@/server/db/models/platform';
import { connectMongo } from '@/server/db/mongo';

/** A random slug, so tests never collide with each other or with leftovers of earlier runs. */
export function randomSlug(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/**
 * A bare organisation record in platform_db: enough for host resolution, sockets and health. Tests
 * that need a fully provisioned tenant (roles, users, channels) use the provisioning service.
 */
export async function createTestOrg(
  opts: { slug?: string; status?: 'active' | 'suspended'; appName?: string; primary?: string; roles?: unknown[] } = {},
) {
  await connectMongo();
  const slug = opts.slug ?? randomSlug();
  await platformModels().Organization.create({
    slug,
    name: `Org ${slug}`,
    status: opts.status ?? 'active',
    dbName: `org_${slug}_db`,
    branding: { appName: opts.appName ?? `App ${slug}`, colors: opts.primary ? { primary: opts.primary } : {} },
    plan: { tier: 'free', maxUsers: 5, maxStorageMB: 100 },
    roles: opts.roles ?? [],
  });
  return slug;
}
