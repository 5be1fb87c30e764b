import { randomBytes } from 'node:crypto';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents, configEventsReady } from '@/server/tenancy/config-events';
import { dropTenantConnection } from '@/server/tenancy/connections';
import { resetOrgCache } from '@/server/tenancy/org-cache';

/** Random slugs so tests never depend on order or on leftovers of earlier runs. */
export function randomSlug(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export async function startTenancy(): Promise<void> {
  await connectMongo();
  await configEventsReady();
}

export async function stopTenancy(): Promise<void> {
  resetOrgCache();
  dropTenantConnection('*');
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
}
