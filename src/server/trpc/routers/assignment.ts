import { z } from 'zod';
import { assignmentConfigInput, getAssignmentConfig, setAssignmentConfig } from '../../services/assignment/config';
import { presenceJob } from '../../services/assignment/jobs';
import { agentOverview } from '../../services/assignment/overview';
import { queuePosition } from '../../services/assignment/queue';
import { getConversation } from '../../services/conversations/scoped';
import { heartbeat, PRESENCE_STATUSES } from '../../services/presence/presence';
import { objectIdInput } from '../../services/shared/ids';
import { enqueue } from '../../queues/enqueue';
import { actorOf } from '../actor';
import { router } from '../init';
import { authedProcedure, can } from '../procedures';

const none = z.strictObject({}).optional();

/**
 * The engine's settings and live state. Manual reassignment is `conversations.reassign` (it checks
 * `reassign` on the conversation and moves it through the engine).
 */
export const assignmentRouter = router({
  config: can('read', 'RoutingRule').input(none).query(({ ctx }) => getAssignmentConfig(ctx.org.slug)),
  setConfig: can('update', 'RoutingRule')
    .input(assignmentConfigInput)
    .mutation(({ ctx, input }) => setAssignmentConfig(ctx.org.slug, input, actorOf(ctx))),
  /** Position and estimated wait of a conversation the user can see. */
  queuePosition: authedProcedure.input(z.strictObject({ conversationId: objectIdInput })).query(async ({ ctx, input }) => {
    await getConversation(ctx.org.slug, ctx.ability, input.conversationId); // NOT_FOUND outside the user's scope
    return queuePosition(ctx.org.slug, input.conversationId);
  }),
  /** Agents with presence and load, for whoever may move conversations between them. */
  agents: can('reassign', 'Conversation').input(none).query(({ ctx }) => agentOverview(ctx.org.slug)),
  /** The agent's own presence switch (the socket heartbeat keeps it alive afterwards). */
  setPresence: authedProcedure
    .input(z.strictObject({ status: z.enum(PRESENCE_STATUSES) }))
    .mutation(async ({ ctx, input }) => {
      const { from, to } = await heartbeat(ctx.org.slug, ctx.user.id, input.status);
      if (from !== to) await enqueue(presenceJob, { slug: ctx.org.slug, userId: ctx.user.id, from, to }); // the worker drains or reassigns
      return { status: input.status };
    }),
});
