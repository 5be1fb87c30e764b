import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redis, rkey } from '../redis';

/**
 * Process heartbeats in Redis: one sorted set per role, member = instance id, score = last beat.
 * Health checks count instances that beat within HEARTBEAT_STALE_MS. A set (not one key) because
 * several workers or realtime instances run side by side under PM2 or compose.
 */
export type ProcessRole = 'worker' | 'realtime';
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_STALE_MS = 15_000;

export const heartbeatKey = (role: ProcessRole) => rkey('heartbeat', role);

export async function beat(role: ProcessRole, instanceId: string, client: Redis = redis()): Promise<void> {
  const now = Date.now();
  await client
    .multi()
    .zadd(heartbeatKey(role), now, instanceId)
    // Forget instances that died without saying goodbye long ago, so the set stays small.
    .zremrangebyscore(heartbeatKey(role), 0, now - 10 * HEARTBEAT_STALE_MS)
    .exec();
}

export async function liveInstances(role: ProcessRole, client: Redis = redis(), now = Date.now()): Promise<number> {
  return client.zcount(heartbeatKey(role), now - HEARTBEAT_STALE_MS, '+inf');
}

/** Start beating every interval; the returned stop() removes this instance at once. */
export function startHeartbeat(role: ProcessRole, client: Redis = redis()): { instanceId: string; stop: () => Promise<void> } {
  const instanceId = `${role}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const tick = () => void beat(role, instanceId, client).catch(() => undefined);
  tick();
  const timer = setInterval(tick, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    instanceId,
    async stop() {
      clearInterval(timer);
      await client.zrem(heartbeatKey(role), instanceId).catch(() => undefined);
    },
  };
}
