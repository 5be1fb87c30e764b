import { randomUUID } from 'node:crypto';
import { redis, rkey } from '../../redis';

/**
 * One drain per organisation at a time, across processes, so the queue is served strictly in
 * order. A caller that finds the lock taken marks the queue dirty; the holder loops until it is
 * clean, so no arrival is ever left waiting for the next event.
 */
const lockKey = (slug: string) => rkey('assign', slug, 'drain-lock');
const dirtyKey = (slug: string) => rkey('assign', slug, 'drain-dirty');
const LOCK_MS = 15_000;
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export async function withDrainLock(slug: string, work: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const token = randomUUID();
    if ((await redis().set(lockKey(slug), token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
      await redis().set(dirtyKey(slug), '1', 'PX', LOCK_MS);
      // The holder may have released between our SET attempts: try again if so.
      if (await redis().exists(lockKey(slug))) return total;
      continue;
    }
    try {
      do {
        await redis().del(dirtyKey(slug));
        total += await work();
      } while (await redis().exists(dirtyKey(slug)));
    } finally {
      await redis().eval(UNLOCK, 1, lockKey(slug), token);
    }
    // Marked dirty after our last check but before the unlock: serve it now.
    if (!(await redis().exists(dirtyKey(slug)))) return total;
  }
}
