import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { AppError } from '../errors';
import { queue } from './connection';
import type { JobDefinition } from './define';

export interface EnqueueOptions {
  /** Same id twice = one job (dedup of at-least-once producers such as webhooks). */
  jobId?: string;
  delayMs?: number;
  priority?: number;
}

/**
 * Validate the payload with the job's own schema before it reaches Redis, so a bad producer fails
 * where the bug is, not later in the worker.
 */
export async function enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, opts: EnqueueOptions = {}) {
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', `Invalid payload for job ${def.name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const options: JobsOptions = {
    jobId: opts.jobId,
    delay: opts.delayMs,
    priority: opts.priority,
    attempts: def.defaults?.attempts ?? 3,
    backoff: { type: def.defaults?.backoffType ?? 'exponential', delay: def.defaults?.backoffMs ?? 1000 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
  return queue(def.queue).add(def.name, parsed.data, options);
}
