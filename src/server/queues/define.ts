import type { Job } from 'bullmq';
import type { z } from 'zod';
import type { QueueKey } from './names';

/**
 * A typed job: which queue it runs on, the strict zod schema of its payload and a handler that
 * calls a service. Handlers must be idempotent: BullMQ delivers at least once (a job that was running
 * when a worker died is retried).
 */
export interface JobContext {
  job: Job;
  /** Set when the worker is shutting down; long handlers may check it between steps. */
  signal: AbortSignal;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: QueueKey;
  /** Unique across all queues: `<domain>.<verb>`. Never renamed once deployed. */
  name: string;
  payload: S;
  handle: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>;
  /** Defaults for every enqueue of this job (attempts, backoff...). */
  defaults?: { attempts?: number; backoffMs?: number; backoffType?: 'exponential' | 'provider' };
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
