import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { liveInstances, type ProcessRole } from './heartbeat';

/**
 * The individual checks. Each takes its dependency as an argument so a test can hand it a dead one
 * (a Redis on a port nobody answers) and see the report name that part.
 */
export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
  details?: Record<string, unknown>;
}

export const CHECK_TIMEOUT_MS = 2_000;
/** A waiting job older than this means the workers are not keeping up (or not running). */
export const MAX_OLDEST_WAITING_MS = 5 * 60_000;

export async function timed(fn: () => Promise<Record<string, unknown> | void>, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const details = (await Promise.race([fn(), timeout])) ?? undefined;
    return { ok: true, ms: Math.round(performance.now() - started), ...(details ? { details } : {}) };
  } catch (err) {
    const details = (err as { details?: Record<string, unknown> }).details;
    const error = err instanceof Error ? err.message : String(err);
    return { ok: false, ms: Math.round(performance.now() - started), error, ...(details ? { details } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkRedis(client: Redis): Promise<void> {
  const pong = await client.ping();
  if (pong !== 'PONG') throw new Error(`unexpected ping answer ${pong}`);
}

export async function checkQueues(queues: Queue[], now = Date.now()): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const late: string[] = [];
  for (const q of queues) {
    const [counts, oldest] = await Promise.all([q.getJobCounts('waiting', 'active', 'delayed', 'failed'), q.getWaiting(0, 0)]);
    // getWaiting lists the next job out first: the one that has waited longest.
    const oldestWaitingMs = oldest[0] ? now - oldest[0].timestamp : 0;
    out[q.name] = { ...counts, oldestWaitingMs };
    if (oldestWaitingMs > MAX_OLDEST_WAITING_MS) late.push(q.name);
  }
  if (late.length) throw Object.assign(new Error(`jobs waiting too long in ${late.join(', ')}`), { details: out });
  return out;
}

export async function checkHeartbeat(role: ProcessRole, client: Redis): Promise<Record<string, unknown>> {
  const live = await liveInstances(role, client);
  if (live === 0) throw new Error(`no ${role} heartbeat in the last 15 s`);
  return { instances: live };
}
