import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redis } from '@/server/redis';
import { platformModels } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import {
  closeConfigEvents,
  configChannel,
  configEventsLive,
  configEventsReady,
  onOrgConfigUpdated,
  publishOrgConfigUpdated,
  type OrgConfigEvent,
} from '@/server/tenancy/config-events';
import { resetOrgCache } from '@/server/tenancy/org-cache';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { resolveOrgBySlug } from '@/server/tenancy/resolve';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

beforeAll(startTenancy);
afterAll(stopTenancy);

const until = async (pred: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('org:config:updated', () => {
  it('uses the prefixed channel, delivers local publications at once and remote ones via Redis', async () => {
    expect(configChannel()).toBe(`${process.env.REDIS_PREFIX}:org:config:updated`);
    const seen: OrgConfigEvent[] = [];
    const off = onOrgConfigUpdated((e) => void seen.push(e));
    const slug = randomSlug('ev');
    await publishOrgConfigUpdated(slug, 'local');
    expect(seen).toContainEqual(expect.objectContaining({ slug, reason: 'local' })); // synchronous, before Redis
    // Another process publishing (simulated with a raw publish carrying a foreign origin).
    await redis().publish(configChannel(), JSON.stringify({ slug, reason: 'remote', at: Date.now(), origin: 'other-process' }));
    await until(() => seen.some((e) => e.reason === 'remote'));
    expect(seen.filter((e) => e.reason === 'local')).toHaveLength(1); // our own echo is not dispatched twice
    await redis().publish(configChannel(), 'not json');
    off();
    await publishOrgConfigUpdated(slug, 'after-unsubscribe');
    expect(seen.some((e) => e.reason === 'after-unsubscribe')).toBe(false);
  });

  it('after losing its Redis connection, a process drops every cache (events may have been missed)', async () => {
    const seen: OrgConfigEvent[] = [];
    const off = onOrgConfigUpdated((e) => void seen.push(e));
    const list = (await redis().client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(`name=org-config-sub:${process.pid} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await redis().client('KILL', 'ID', id!);
    await until(() => seen.some((e) => e.slug === '*' && e.reason === 'resubscribed'));
    // And it is subscribed again.
    await redis().publish(
      configChannel(),
      JSON.stringify({ slug: 'x-after', reason: 'remote', at: Date.now(), origin: 'other' }),
    );
    await until(() => seen.some((e) => e.slug === 'x-after'));
    off();
  });

  it('while invalidations cannot reach this process (Redis unreachable), cached organisations live one second', async () => {
    const slug = randomSlug('deaf');
    await provisionOrganization({ slug, name: 'Deaf', firstAdmin: { email: 'a@deaf.io' } });
    await closeConfigEvents();
    resetOrgCache();
    const port = process.env.REDIS_PORT;
    process.env.REDIS_PORT = '1'; // the new subscriber cannot connect: this process is deaf
    resetEnvForTests();
    try {
      expect((await resolveOrgBySlug(slug))?.name).toBe('Deaf');
      expect(configEventsLive()).toBe(false);
      // A change written by another process whose event this process cannot hear:
      await platformModels().Organization.updateOne({ slug }, { $set: { name: 'Changed elsewhere' } });
      expect((await resolveOrgBySlug(slug))?.name).toBe('Deaf'); // cached...
      await new Promise((r) => setTimeout(r, 1100));
      expect((await resolveOrgBySlug(slug))?.name).toBe('Changed elsewhere'); // ...for one second only
    } finally {
      await closeConfigEvents();
      resetOrgCache();
      if (port === undefined) delete process.env.REDIS_PORT;
      else process.env.REDIS_PORT = port;
      resetEnvForTests();
    }
    await configEventsReady();
    expect(configEventsLive()).toBe(true);
  });
});
