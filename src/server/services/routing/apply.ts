import { z } from 'zod';
import { tenantModels } from '../../tenancy/connections';
import { objectIdInput } from '../shared/ids';
import { getSlaPolicy } from '../sla/policy';
import { evaluateRules, type RoutingContext } from './evaluate';
import { routingRulesFor } from './rules';

/** Apply the routing rules to a conversation: team, required skills, priority, labels. Logged. */
export async function routeConversation(slug: string, conversationId: string) {
  const { Conversation, Customer, ConversationMessage, EventLog } = tenantModels(slug);
  const conv = await Conversation.findById(conversationId).lean();
  if (!conv) return null;
  const [customer, last, rules, policy] = await Promise.all([
    Customer.findById(conv.customerId, { attributes: 1, tags: 1, language: 1, branchId: 1 }).lean(),
    ConversationMessage.findOne({ conversationId: conv._id, direction: 'in' }, { content: 1 }).sort({ createdAt: -1 }).lean(),
    routingRulesFor(slug),
    getSlaPolicy(slug),
  ]);
  const outcome = evaluateRules(rules, {
    channel: conv.channel,
    inboxId: conv.inboxId ?? undefined,
    text: last?.content ?? '',
    language: customer?.language ?? undefined,
    tags: customer?.tags ?? [],
    attributes: (customer?.attributes as Record<string, unknown> | undefined) ?? {},
    branchId: (conv.branchId ?? customer?.branchId)?.toString(),
    at: new Date(),
    businessHours: policy.businessHours,
  });
  const a = outcome.matched?.actions;
  if (a) {
    await Conversation.updateOne(
      { _id: conv._id },
      {
        $set: {
          ...(a.teamId ? { teamId: a.teamId } : {}),
          ...(a.requiredSkills?.length ? { requiredSkills: a.requiredSkills } : {}),
          ...(a.priority ? { priority: a.priority } : {}),
        },
        ...(a.labels?.length ? { $addToSet: { labels: { $each: a.labels } } } : {}),
      },
    );
  }
  await EventLog.create({
    type: 'conversation.routed',
    conversationId: conv._id,
    actorType: 'system',
    data: { ruleId: outcome.matched?.id ?? null, explanation: outcome.explanation },
  });
  return outcome;
}

export const previewInput = z.strictObject({
  text: z.string().max(4000),
  channel: z.string().max(40).optional(),
  inboxId: z.string().max(64).optional(),
  language: z.string().max(20).optional(),
  tags: z.array(z.string().max(60)).max(50).optional(),
  attributes: z.record(z.string().max(60), z.string().max(200)).optional(),
  branchId: objectIdInput.optional(),
  at: z.coerce.date().optional(),
});

/** "Try a message": which rule would fire for this message, and why each rule did or did not. */
export async function previewRouting(slug: string, input: z.output<typeof previewInput>) {
  const [rules, policy] = await Promise.all([routingRulesFor(slug), getSlaPolicy(slug)]);
  const ctx: RoutingContext = { ...input, at: input.at ?? new Date(), businessHours: policy.businessHours };
  const { matched, results, explanation } = evaluateRules(rules, ctx);
  return {
    matched: matched ? { id: matched.id, name: matched.name, actions: { ...matched.actions, teamId: matched.actions?.teamId ? String(matched.actions.teamId) : undefined } } : null,
    rules: results,
    explanation,
  };
}
