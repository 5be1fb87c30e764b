import { Worker } from 'bullmq';
import { bullConnection, bullPrefix, QUEUE_KEYS, QUEUES } from '@/server/queues';
import { getEnv } from '@/server/env';
import { backoffStrategy } from '@/server/queues/backoff';
import { makeProcessor } from './processor';

/**
 * One BullMQ Worker per queue of the table. `stop()` is the graceful part: no new jobs are taken,
 * the running ones finish, waiting ones stay in Redis for the next worker. A job cut off by a hard
 * kill is not lost either: BullMQ's stalled-job check hands it to another worker (handlers are
 * idempotent for that reason).
 */
export interface RunningWorkers {
  workers: Worker[];
  stop: () => Promise<void>;
}

export function startWorkers(opts: { concurrencyOverride?: number } = {}): RunningWorkers {
  const abort = new AbortController();
  const processor = makeProcessor(abort.signal);
  const workers = QUEUE_KEYS.map((key) => {
    const w = new Worker(QUEUES[key].name, processor, {
      connection: bullConnection(),
      prefix: bullPrefix(),
      concurrency: opts.concurrencyOverride ?? QUEUES[key].concurrency,
      settings: { backoffStrategy },
      lockDuration: getEnv().WORKER_LOCK_DURATION_MS,
      stalledInterval: getEnv().WORKER_LOCK_DURATION_MS,
    });
    w.on('failed', (job, err) => console.error(`[worker] ${key}/${job?.name} #${job?.id} failed: ${err.message}`));
    w.on('error', (err) => console.error(`[worker] ${key}: ${err.message}`));
    return w;
  });
  return {
    workers,
    async stop() {
      abort.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
