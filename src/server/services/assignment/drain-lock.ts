import { randomUUID } from 'node:crypto';
import { rkey } from '../../redis';
import { scripts, type EnginePipeline } from './scripts';

/**
 * One drain per organisation at a time, across processes, so the queue is served strictly in
 * order. A caller that finds the lock taken marks the queue dirty and returns; the holder goes again
 * until it is clean. Taking the lock (or marking dirty) and releasing it (unless dirty) are each one
 * script, so no arrival can slip between the holder's last look and its release.
 *
 * Work that must not interleave with a drain pass (taking conversations from an agent who went
 * offline, rebuilding the load counters) waits for the lock; the holder hands it over after its
 * current pass instead of going again, and the waiter's caller drains afterwards.
 */
const keys = (slug: string) => [rkey('assign', slug, 'drain-lock'), rkey('assign', slug, 'drain-dirty'), rkey('assign', slug, 'drain-wanted')] as const;
const LOCK_MS = 15_000;
const WAIT_STEP_MS = 10;

export interface DrainLock {
  /** Keep the lock alive, in a pipeline the pass sends anyway (long drains do it on every page). */
  renew(p: EnginePipeline): void;
}

/** Add "take the lock or mark dirty" to a pipeline (an arrival sends it with its ZADD). */
export function acquireInPipeline(p: EnginePipeline, slug: string, token: string): EnginePipeline {
  return p.acquireDrain(...keys(slug), token, LOCK_MS, 'arrive');
}

/** Run `work` until no one marked the queue dirty, then release. The lock must be ours (`token`). */
export async function holdDrainLock(slug: string, token: string, work: (lock: DrainLock) => Promise<number>): Promise<number> {
  const lock: DrainLock = { renew: (p) => void p.renewDrain(keys(slug)[0], token, LOCK_MS) };
  let total = 0;
  try {
    do total += await work(lock);
    while ((await scripts().releaseDrain(...keys(slug), token, LOCK_MS)) === 1);
  } catch (err) {
    // Hand the lock back so the next arrival (or the sweep) serves the queue; dirty marks stay.
    await unlock(slug, token).catch(() => undefined);
    throw err;
  }
  return total;
}

/** Drain now if no one else is; otherwise the holder will go again for us. */
export async function withDrainLock(slug: string, work: (lock: DrainLock) => Promise<number>): Promise<number> {
  const token = randomUUID();
  if ((await scripts().acquireDrain(...keys(slug), token, LOCK_MS, 'arrive')) !== 1) return 0;
  return holdDrainLock(slug, token, work);
}

/** Wait for the lock (up to its lifetime), run `work`, release. The caller drains afterwards. */
export async function waitForDrainLock<T>(slug: string, work: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + LOCK_MS + 1_000;
  while ((await scripts().acquireDrain(...keys(slug), token, LOCK_MS, 'wait')) !== 1) {
    if (Date.now() > deadline) throw new Error(`the assignment drain lock of ${slug} was not handed over in time`);
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
  }
  try {
    return await work();
  } finally {
    await unlock(slug, token);
  }
}

/** Release without consuming the dirty mark (it stays for the next holder). */
async function unlock(slug: string, token: string): Promise<void> {
  await scripts().unlockDrain(keys(slug)[0], token);
}
