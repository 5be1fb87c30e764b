import { z } from 'zod';
import { deliverMessage } from '../../services/inbox/delivery';
import { INGEST_JOB, ingestPayloadSchema } from '../../services/inbox/events';
import { ingestEvent } from '../../services/inbox/ingest';
import { defineJob } from '../define';

/** Provider event -> customers, conversations, messages, statuses (web handler and outbox enqueue it). */
export const ingestJob = defineJob({
  queue: 'inboxIngest',
  name: INGEST_JOB,
  payload: ingestPayloadSchema,
  defaults: { attempts: 8, backoffMs: 500 },
  handle: (payload) => ingestEvent(payload),
});

/** One agent reply to the provider's API; backoff honours the provider's Retry-After (queues/backoff.ts). */
export const sendJob = defineJob({
  queue: 'inboxOutbound',
  name: 'inbox.send',
  payload: z.strictObject({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), messageId: z.string().regex(/^[0-9a-f]{24}$/) }),
  defaults: { attempts: 8, backoffMs: 1000, backoffType: 'provider' },
  handle: ({ slug, messageId }, { job }) => deliverMessage(slug, messageId, { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 }),
});
