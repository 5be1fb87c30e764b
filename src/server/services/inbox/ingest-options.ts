import type { JobsOptions } from 'bullmq';

/**
 * Options of every ingest job. Deduplication is atomic with the add (BullMQ keeps the dedup key for
 * a day), so a provider's redelivery is dropped in Redis before it reaches the database; the unique
 * index on providerMessageId is the last line.
 */
export const DEDUP_TTL_MS = 24 * 3600 * 1000;

export function ingestJobOptions(dedupId: string): JobsOptions {
  return {
    deduplication: { id: dedupId, ttl: DEDUP_TTL_MS },
    attempts: 8,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: 600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
