import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/server/env';
import { mongo } from '@/server/db/mongo';
import { tenantCacheStats, tenantConnection, tenantModels } from '@/server/tenancy/connections';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

const slugs = Array.from({ length: 5 }, () => randomSlug('lru'));

beforeAll(async () => {
  process.env.TENANT_CACHE_MAX = '3';
  resetEnvForTests();
  await startTenancy();
});
afterAll(stopTenancy);

describe('tenant connections', () => {
  it('are useDb views on the one client, named org_<slug>_db', () => {
    const conn = tenantConnection(slugs[0]!);
    expect(conn.name).toBe(`org_${slugs[0]}_db`);
    expect(conn.getClient()).toBe(mongo().getClient());
    expect(() => tenantConnection('Bad Slug')).toThrow(/Invalid organisation slug/);
    expect(() => tenantConnection('$where')).toThrow(/Invalid organisation slug/);
  });

  it('keep only the most recently used tenants, and evicted ones come back on demand', async () => {
    const held = tenantModels(slugs[0]!);
    await held.Team.create({ name: 'kept' });
    for (const s of slugs) await tenantModels(s).Team.create({ name: `team-${s}` });
    expect(tenantCacheStats()).toEqual({ size: 3, max: 3 });
    const relatedDbs = Object.keys((mongo() as unknown as { relatedDbs: Record<string, unknown> }).relatedDbs).filter((n) =>
      n.startsWith('org_lru'),
    );
    expect(relatedDbs.length).toBeLessThanOrEqual(3); // evicted views left mongoose's cache too
    // A registry evicted while a request still held it keeps working (in-flight safety).
    expect(await held.Team.countDocuments()).toBe(2);
    // And a fresh registry for the evicted tenant sees the same data.
    expect(tenantModels(slugs[0]!)).not.toBe(held);
    expect((await tenantModels(slugs[0]!).Team.find().sort({ name: 1 }).lean()).map((t) => t.name)).toEqual([
      'kept',
      `team-${slugs[0]}`,
    ]);
  });
});
