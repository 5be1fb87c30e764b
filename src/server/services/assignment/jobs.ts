import { z } from 'zod';
import { defineJob } from '../../queues/define';
import { PRESENCE_STATUSES, slugsWithPresence, sweepPresence } from '../presence/presence';
import { drainQueue } from './engine';
import { waitForDrainLock } from './drain-lock';
import { reconcileLoads } from './load';
import { requeueWaiting } from './queue';
import { handleNoAnswer, onPresenceChange } from './reassign';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const id = z.string().regex(/^[0-9a-f]{24}$/);

/** Delayed: the agent has not answered within the organisation's no-answer time. */
export const noAnswerJob = defineJob({
  queue: 'assignment',
  name: 'assignment.no-answer',
  payload: z.strictObject({ slug, conversationId: id, agentId: id, assignedAt: z.number().int() }),
  handle: (p) => handleNoAnswer(p),
});

/** A presence change seen by the realtime process, acted on in the worker. */
export const presenceJob = defineJob({
  queue: 'assignment',
  name: 'assignment.presence',
  payload: z.strictObject({ slug, userId: id, from: z.enum(PRESENCE_STATUSES), to: z.enum(PRESENCE_STATUSES) }),
  handle: ({ slug: s, userId, from, to }) => onPresenceChange(s, userId, from, to),
});

/**
 * Every 15 s (job scheduler): agents whose heartbeat stopped go offline (their conversations are
 * reassigned), load counters and the waiting queue are rebuilt from MongoDB under the drain lock (a
 * Redis restart loses both), and the queue is served.
 */
export const sweepJob = defineJob({
  queue: 'assignment',
  name: 'assignment.sweep',
  payload: z.strictObject({}),
  async handle() {
    for (const s of await slugsWithPresence()) {
      await sweepPresence(s);
      await waitForDrainLock(s, async () => {
        await reconcileLoads(s);
        await requeueWaiting(s);
      });
      await drainQueue(s);
    }
  },
});
