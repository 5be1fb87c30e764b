import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkHeartbeat, checkQueues, checkRedis, timed, type CheckResult } from './checks';

/**
 * The platform's health, independent of any framework: `/api/health`, the health page and the
 * command line all render this report. Healthy only when every part is.
 */
export const HEALTH_PARTS = ['mongo', 'redis', 'queues', 'realtime', 'worker'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

export interface HealthReport {
  status: 'ok' | 'fail';
  /** The parts that are not healthy, by name. */
  failing: HealthPart[];
  checks: Record<HealthPart, CheckResult>;
  at: string;
}

export interface HealthDeps {
  redis: Redis;
  pingMongo: () => Promise<void>;
  queues: () => Queue[];
}

export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const redisCheck = await timed(() => checkRedis(deps.redis));
  // Queues and heartbeats live in Redis: without it, say so once instead of three timeouts.
  const needsRedis = async (fn: () => Promise<Record<string, unknown>>): Promise<CheckResult> =>
    redisCheck.ok ? timed(fn) : { ok: false, ms: 0, error: 'redis unavailable' };
  const [mongo, queues, realtime, worker] = await Promise.all([
    timed(deps.pingMongo),
    needsRedis(() => checkQueues(deps.queues())),
    needsRedis(() => checkHeartbeat('realtime', deps.redis)),
    needsRedis(() => checkHeartbeat('worker', deps.redis)),
  ]);
  const checks: Record<HealthPart, CheckResult> = { mongo, redis: redisCheck, queues, realtime, worker };
  const failing = HEALTH_PARTS.filter((part) => !checks[part].ok);
  return { status: failing.length ? 'fail' : 'ok', failing, checks, at: new Date().toISOString() };
}

export function healthHttpStatus(report: HealthReport): number {
  return report.status === 'ok' ? 200 : 503;
}
