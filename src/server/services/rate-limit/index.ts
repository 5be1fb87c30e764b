import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';

/**
 * Redis-backed limits (rate-limiter-flexible), shared by every web process:
 *   - per organisation and client IP (`${slug}:${ip}`) on every sign-in-like endpoint;
 *   - per account (`${slug}:${email}`) on failed sign-ins: after 5 failures the account is locked for
 *     15 minutes whatever the password, which stops slow distributed guessing.
 * A refusal is AppError TOO_MANY_REQUESTS with `retryAfterSeconds`, mapped to 429 + Retry-After.
 */
const limiters = new Map<string, RateLimiterRedis>();

export const LIMITS = {
  ip: { points: 30, duration: 60, blockDuration: 60 },
  account: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
  mail: { points: 5, duration: 60 * 60, blockDuration: 0 },
} as const;
type LimitName = keyof typeof LIMITS;

function limiter(name: LimitName): RateLimiterRedis {
  let l = limiters.get(name);
  if (!l) {
    l = new RateLimiterRedis({ storeClient: redis(), keyPrefix: rkey('rl', name), useRedisPackage: false, ...LIMITS[name] });
    limiters.set(name, l);
  }
  return l;
}

function tooMany(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError('TOO_MANY_REQUESTS', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    retryAfterSeconds,
  });
}

/** Count one attempt; throws TOO_MANY_REQUESTS when the key is over its limit. */
export async function consume(name: LimitName, key: string): Promise<void> {
  try {
    await limiter(name).consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooMany(err);
    throw err;
  }
}

/** Throws if the key is currently blocked, without counting an attempt. */
export async function assertNotBlocked(name: LimitName, key: string): Promise<void> {
  const res = await limiter(name).get(key);
  if (res && res.consumedPoints >= LIMITS[name].points && res.msBeforeNext > 0) throw tooMany(res);
}

export async function reset(name: LimitName, key: string): Promise<void> {
  await limiter(name).delete(key);
}

/** Client address for rate-limit keys: the proxy's X-Forwarded-For only when TRUST_PROXY says so. */
export function clientIp(headers: Headers, trustProxy: boolean): string {
  const xff = headers.get('x-forwarded-for');
  if (xff) {
    const parts = xff
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Trusted proxy: the client is the first hop. Otherwise only the last hop (added by our own server) counts.
    const ip = trustProxy ? parts[0] : parts[parts.length - 1];
    if (ip) return ip.slice(0, 64);
  }
  return headers.get('x-real-ip')?.slice(0, 64) ?? 'unknown';
}
