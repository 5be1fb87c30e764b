import { Redis, type RedisOptions } from 'ioredis';
import { getEnv } from './env';

/**
 * Redis connections. BullMQ workers and blocking commands need their own connection with
 * `maxRetriesPerRequest: null`; pub/sub subscribers need a dedicated one too. Everything else shares
 * `redis()`.
 */
export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  const env = getEnv();
  return {
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS ? {} : undefined,
    lazyConnect: false,
    ...extra,
  };
}

export function createRedis(extra: RedisOptions = {}): Redis {
  return new Redis(redisOptions(extra));
}

let shared: Redis | undefined;

export function redis(): Redis {
  shared ??= createRedis({ maxRetriesPerRequest: 2 });
  return shared;
}

/** Prefix every key with the deployment prefix so test runs and deployments never collide. */
export function rkey(...parts: Array<string | number>): string {
  return [getEnv().REDIS_PREFIX, ...parts].join(':');
}

export async function closeRedis(): Promise<void> {
  const r = shared;
  shared = undefined;
  if (r) await r.quit().catch(() => r.disconnect());
}
