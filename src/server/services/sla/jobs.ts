import { z } from 'zod';
import { defineJob } from '../../queues/define';
import { checkSlaBreach } from './breach';

/** Delayed to a conversation's due time: detects and reports a breach (idempotent). */
export const slaCheckJob = defineJob({
  queue: 'assignment',
  name: 'sla.check',
  payload: z.strictObject({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    conversationId: z.string().regex(/^[0-9a-f]{24}$/),
    kind: z.enum(['first_response', 'resolution']),
    dueAt: z.number().int(),
  }),
  handle: (p) => checkSlaBreach(p),
});
