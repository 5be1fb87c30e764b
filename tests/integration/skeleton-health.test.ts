import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/health/route';
import { disconnectMongo } from '@/server/db/mongo';
import { defaultHealthDeps } from '@/server/health/default-deps';
import { beat, heartbeatKey, HEARTBEAT_STALE_MS } from '@/server/health/heartbeat';
import { checkHealth, type HealthReport } from '@/server/health/service';
import { MAX_OLDEST_WAITING_MS } from '@/server/health/checks';
import { closeQueues, queue } from '@/server/queues';
import { closeRedis, redis } from '@/server/redis';
import { freePort } from '../helpers/ports';
import { isolateRedisPrefix } from '../helpers/prefix';

/**
 * /api/health against the real Redis and the embedded MongoDB: healthy when every part is, 503
 * naming the part when one is not (a Redis nobody answers, a missing worker heartbeat, a stale one).
 */
const clean = () => redis().del(heartbeatKey('worker'), heartbeatKey('realtime'));

async function bothBeating() {
  await beat('worker', 'test-worker');
  await beat('realtime', 'test-realtime');
}

beforeAll(() => {
  isolateRedisPrefix('health');
});
afterEach(clean);
afterAll(async () => {
  await clean();
  await closeQueues();
  await closeRedis();
  await disconnectMongo();
});

describe('GET /api/health', () => {
  it('answers 200 with every part healthy, including queue counts', async () => {
    await bothBeating();
    const res = await GET();
    const body = (await res.json()) as HealthReport;
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.failing).toEqual([]);
    expect(body.checks.queues.details).toMatchObject({ system: { waiting: expect.any(Number), failed: expect.any(Number), oldestWaitingMs: expect.any(Number) } });
  });

  it('answers 503 naming the worker when its heartbeat is missing', async () => {
    await beat('realtime', 'test-realtime');
    const res = await GET();
    const body = (await res.json()) as HealthReport;
    expect(res.status).toBe(503);
    expect(body.failing).toEqual(['worker']);
    expect(body.checks.worker.error).toMatch(/no worker heartbeat/);
  });

  it('treats a heartbeat older than the stale window as missing', async () => {
    await beat('worker', 'test-worker');
    await redis().zadd(heartbeatKey('realtime'), Date.now() - HEARTBEAT_STALE_MS - 1000, 'old-realtime');
    const body = (await (await GET()).json()) as HealthReport;
    expect(body.failing).toEqual(['realtime']);
  });
});

describe('queue backlog', () => {
  it('names the queues when the oldest waiting job has waited too long, and reports its age', async () => {
    await bothBeating();
    const q = queue('system');
    try {
      // The first job in is the next one out: it has waited longest (its timestamp says since when).
      await q.add('system.probe', { id: 'stale', ms: 0 }, { timestamp: Date.now() - MAX_OLDEST_WAITING_MS - 60_000 });
      await q.add('system.probe', { id: 'fresh', ms: 0 });
      await q.add('system.probe', { id: 'fresh2', ms: 0 });
      const res = await GET();
      const body = (await res.json()) as HealthReport;
      expect(res.status).toBe(503);
      expect(body.failing).toEqual(['queues']);
      expect(body.checks.queues.error).toMatch(/jobs waiting too long in system/);
      const system = (body.checks.queues.details as Record<string, { waiting: number; oldestWaitingMs: number }>).system!;
      expect(system.waiting).toBe(3);
      expect(system.oldestWaitingMs).toBeGreaterThan(MAX_OLDEST_WAITING_MS);
    } finally {
      await q.obliterate({ force: true });
    }
  });
});

describe('checkHealth with a dead dependency', () => {
  it('names redis (and what depends on it) when Redis does not answer', async () => {
    const port = await freePort(); // nothing listens here
    const dead = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => undefined);
    try {
      const report = await checkHealth({ ...defaultHealthDeps(), redis: dead, queues: () => [] });
      expect(report.status).toBe('fail');
      expect(report.failing).toEqual(['redis', 'queues', 'realtime', 'worker']);
      expect(report.checks.mongo.ok).toBe(true);
      expect(report.checks.redis.error).toBeTruthy();
    } finally {
      dead.disconnect();
    }
  });

  it('names mongo when the database does not answer', async () => {
    await bothBeating();
    const report = await checkHealth({ ...defaultHealthDeps(), pingMongo: () => new Promise(() => undefined) });
    expect(report.failing).toEqual(['mongo']);
    expect(report.checks.mongo.error).toMatch(/no answer within/);
  });
});
