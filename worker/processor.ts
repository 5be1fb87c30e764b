import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { jobByName } from '@/server/queues';

/**
 * Turns a BullMQ job into a call of its typed handler. A payload that fails its schema or an
 * unknown job name will never succeed on retry, so it fails at once (UnrecoverableError) and stays
 * in the failed list for inspection.
 */
export function makeProcessor(signal: AbortSignal) {
  return async (job: Job): Promise<unknown> => {
    const def = jobByName(job.name);
    if (!def) throw new UnrecoverableError(`Unknown job ${job.name} on queue ${job.queueName}`);
    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid payload for ${job.name}: ${parsed.error.message}`);
    return def.handle(parsed.data, { job, signal });
  };
}
