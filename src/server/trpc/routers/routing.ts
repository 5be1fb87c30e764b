import { z } from 'zod';
import { listRoutingRules, routingRuleInput, upsertRoutingRule } from '../../services/routing/rules';
import { getSlaPolicy, setSlaPolicy, slaPolicyInput } from '../../services/sla/policy';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';

const none = z.strictObject({}).optional();

/** Routing rules and SLA policy: configured by those who run the operation. */
export const routingRouter = router({
  list: can('read', 'RoutingRule').input(none).query(({ ctx }) => listRoutingRules(ctx.org.slug)),
  upsert: can('update', 'RoutingRule').input(routingRuleInput).mutation(({ ctx, input }) => upsertRoutingRule(ctx.org.slug, input, actorOf(ctx))),
  sla: can('read', 'SlaPolicy').input(none).query(({ ctx }) => getSlaPolicy(ctx.org.slug)),
  setSla: can('update', 'SlaPolicy').input(slaPolicyInput).mutation(({ ctx, input }) => setSlaPolicy(ctx.org.slug, input, actorOf(ctx))),
});
