import { z } from 'zod';
import { emitToOrg, emitToUser } from '../../realtime/emit';
import { recordProbe } from '../../health/probe';
import { defineJob } from '../define';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

/**
 * Publish a realtime event to an organisation (or one of its users) from the worker. Services that
 * finish background work use the same emitter; this job makes the path testable end to end.
 */
export const notifyJob = defineJob({
  queue: 'system',
  name: 'system.notify',
  payload: z.strictObject({
    slug,
    userId: z.string().min(1).max(64).optional(),
    event: z.string().regex(/^[a-z][a-z0-9.:-]{0,63}$/),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
  async handle({ slug: org, userId, event, data }) {
    if (userId) emitToUser(org, userId, event, data);
    else emitToOrg(org, event, data);
    return { emitted: event };
  },
});

/**
 * Diagnostics: waits `ms`, then records that it ran. Used to check the queue path from the health
 * tooling and to prove graceful shutdown (a job running at SIGTERM still completes).
 */
export const probeJob = defineJob({
  queue: 'system',
  name: 'system.probe',
  payload: z.strictObject({ id: z.string().min(1).max(100), ms: z.number().int().min(0).max(60_000) }),
  async handle({ id, ms }) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await recordProbe(id);
    return { id };
  },
});
