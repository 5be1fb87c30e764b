import { z } from 'zod';
import { defineJob } from '../../queues/define';
import { PRESENCE_STATUSES, slugsWithPresence, sweepPresence } from '../presence/presence';
import { drainQueue } from './engine';
import { waitForDrainLock } from './drain-lock';
import { reconcileLoads } from './load';
import { requeueWaiting } from './queue';
import { slugsWithNoAnswers } from './no-answer';
import { handleNoAnswer, onPresenceChange, serveNoAnswers } from './reassign';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const id = z.string().regex(/^[0-9a-f]{24}$/);

/**
 * Delayed: the agent has not answered within the organisation's no-answer time. No longer enqueued
 * (deadlines live in a sorted set served by the sweep, no-answer.ts); kept registered so timers
 * queued before that change still run.
 */
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
 * Redis restart loses both), due no-answer deadlines move their conversations on, and the queue is
 * served.
 */
export const sweepJob = defineJob({
  queue: 'assignment',
  name: 'assignment.sweep',
  payload: z.strictObject({}),
  async handle() {
    const present = await slugsWithPresence();
    for (const s of present) {
      await sweepPresence(s);
      await waitForDrainLock(s, async () => {
        await reconcileLoads(s);
        await requeueWaiting(s);
      });
      await serveNoAnswers(s);
      await drainQueue(s);
    }
    // Deadlines of organisations with nobody present still fall due (the conversation goes back to the queue).
    for (const s of await slugsWithNoAnswers()) if (!present.includes(s)) await serveNoAnswers(s);
  },
});
