import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Proc } from '../../scripts/lib/procs';
import { probeRuns } from '@/server/health/probe';
import { closeQueues, enqueue, queue } from '@/server/queues';
import { probeJob } from '@/server/queues/jobs/system';
import { closeRedis } from '@/server/redis';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually, startWorker } from '../helpers/processes';

/**
 * SIGTERM while jobs run: the worker stops taking jobs, lets the running ones finish, exits 0; the
 * waiting ones stay queued and the next worker does them. Every job runs, and runs once.
 */
const procs: Proc[] = [];

beforeAll(() => {
  isolateRedisPrefix('sd');
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await queue('system').obliterate({ force: true }).catch(() => undefined);
  await closeQueues();
  await closeRedis();
});

it('loses no job when the worker gets SIGTERM mid-work', async () => {
  const run = randomBytes(4).toString('hex');
  const ids = Array.from({ length: 12 }, (_, i) => `${run}-${i}`);
  const first = startWorker({ WORKER_CONCURRENCY: '3' });
  procs.push(first);
  for (const id of ids) await enqueue(probeJob, { id, ms: 1500 });

  const q = queue('system');
  await eventually(async () => (await q.getActiveCount()) === 3, 'three jobs running in the first worker', 20_000);
  const running = (await q.getActive()).map((j) => (j.data as { id: string }).id);
  expect(running).toHaveLength(3);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.output()).toMatch(/stopped cleanly/);

  // The jobs that were running when SIGTERM arrived finished before the process exited...
  for (const id of running) expect(await probeRuns(id)).toBe(1);
  // ...and nothing was left half-done or failed; the rest is still waiting.
  const { active = -1, failed = -1, waiting = -1, completed = -1 } = await q.getJobCounts('active', 'failed', 'waiting', 'completed');
  expect(active).toBe(0);
  expect(failed).toBe(0);
  expect(waiting + completed).toBe(ids.length);
  expect(waiting).toBeGreaterThan(0);

  const second = startWorker({ WORKER_CONCURRENCY: '6' });
  procs.push(second);
  await eventually(async () => (await q.getJobCounts('completed')).completed === ids.length, 'all jobs completed', 30_000);
  const runs = await Promise.all(ids.map((id) => probeRuns(id)));
  expect(runs).toEqual(ids.map(() => 1));
  expect(await q.getFailedCount()).toBe(0);
}, 90_000);
