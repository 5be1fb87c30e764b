import { Queue, type ConnectionOptions } from 'bullmq';
import { getEnv } from '../env';
import { redisOptions } from '../redis';
import { QUEUES, type QueueKey } from './names';

/**
 * BullMQ keys live under `${REDIS_PREFIX}:bull`, so deployments and test runs sharing one Redis never
 * see each other's queues.
 */
export function bullPrefix(): string {
  return `${getEnv().REDIS_PREFIX}:bull`;
}

/** Workers block on Redis: their connection must never give up on a request. */
export function bullConnection(maxRetriesPerRequest: number | null = null): ConnectionOptions {
  // BullMQ declares its own structural RedisOptions; ioredis' type differs only in callback shapes.
  return redisOptions({ maxRetriesPerRequest }) as ConnectionOptions;
}

const queues = new Map<QueueKey, Queue>();

/** One producer Queue per name per process, created on first use. */
export function queue(key: QueueKey): Queue {
  let q = queues.get(key);
  if (!q) {
    // Producers fail fast instead of hanging a web request when Redis is away.
    q = new Queue(QUEUES[key].name, { connection: bullConnection(2), prefix: bullPrefix() });
    q.on('error', () => undefined); // reported through health checks, not as unhandled errors
    queues.set(key, q);
  }
  return q;
}

export async function closeQueues(): Promise<void> {
  const all = [...queues.values()];
  queues.clear();
  await Promise.all(all.map((q) => q.close().catch(() => undefined)));
}
