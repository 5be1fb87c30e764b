import { z } from 'zod';
import { previewInput, previewRouting } from '../../services/routing/apply';
import { deleteRoutingRule, listRoutingRules, reorderRoutingRules, routingRuleInput, upsertRoutingRule } from '../../services/routing/rules';
import { objectIdInput } from '../../services/shared/ids';
import { getSlaPolicy, setSlaPolicy, slaPolicyInput } from '../../services/sla/policy';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';

const none = z.strictObject({}).optional();

/** Routing rules and SLA policy: configured by those who run the operation. */
export const routingRouter = router({
  list: can('read', 'RoutingRule').input(none).query(({ ctx }) => listRoutingRules(ctx.org.slug)),
  upsert: can('update', 'RoutingRule').input(routingRuleInput).mutation(({ ctx, input }) => upsertRoutingRule(ctx.org.slug, input, actorOf(ctx))),
  remove: can('update', 'RoutingRule')
    .input(z.strictObject({ id: objectIdInput }))
    .mutation(({ ctx, input }) => deleteRoutingRule(ctx.org.slug, input.id, actorOf(ctx))),
  reorder: can('update', 'RoutingRule')
    .input(z.strictObject({ ids: z.array(objectIdInput).min(1).max(500) }))
    .mutation(({ ctx, input }) => reorderRoutingRules(ctx.org.slug, input.ids, actorOf(ctx))),
  /** "Try a message": which rule would fire and why, without touching any conversation. */
  preview: can('read', 'RoutingRule').input(previewInput).query(({ ctx, input }) => previewRouting(ctx.org.slug, input)),
  sla: can('read', 'SlaPolicy').input(none).query(({ ctx }) => getSlaPolicy(ctx.org.slug)),
  setSla: can('update', 'SlaPolicy').input(slaPolicyInput).mutation(({ ctx, input }) => setSlaPolicy(ctx.org.slug, input, actorOf(ctx))),
});
