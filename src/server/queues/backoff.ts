import type { BackoffStrategy } from 'bullmq';

/**
 * The `provider` backoff type: the provider's own Retry-After when it named one (rate limits),
 * otherwise exponential with full jitter, so many jobs throttled together do not retry in lockstep.
 */
export const MAX_BACKOFF_MS = 15 * 60 * 1000;

export function exponentialJitter(attemptsMade: number, baseMs: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const backoffStrategy: BackoffStrategy = (attemptsMade, type, err, job) => {
  if (type !== 'provider') return 0;
  const retryAfter = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  if (typeof retryAfter === 'number') return Math.min(MAX_BACKOFF_MS, retryAfter);
  const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000;
  return exponentialJitter(attemptsMade, base);
};
