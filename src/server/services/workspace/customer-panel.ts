import { scopedFilter, type AppAbility } from '../../authz';
import { tenantModels } from '../../tenancy/connections';
import { getConversation } from '../conversations/scoped';
import { oid, plain } from '../shared/ids';
import { variableCount } from './templates-body';
import { sendableFilter } from './templates-send';

/**
 * The customer beside a conversation: profile, identities per channel, their other conversations
 * (only those the agent may read) and recent orders for commerce context.
 */
export async function customerPanel(slug: string, ability: AppAbility, conversationId: string) {
  const conv = await getConversation(slug, ability, conversationId);
  const { Customer, Conversation, Order } = tenantModels(slug);
  const customerId = oid(String(conv.customerId));
  const [customer, others, orders] = await Promise.all([
    Customer.findById(customerId)
      .select({ name: 1, email: 1, phone: 1, identities: 1, tags: 1, language: 1, lastSeenAt: 1, createdAt: 1 })
      .lean(),
    Conversation.find(
      scopedFilter(ability, 'read', 'Conversation', { customerId: { $eq: customerId }, _id: { $ne: oid(conversationId) } }),
    )
      .select({ channel: 1, status: 1, lastMessagePreview: 1, lastMessageAt: 1 })
      .sort({ updatedAt: -1 })
      .limit(10)
      .lean(),
    Order.find({ customerId })
      .select({ externalId: 1, source: 1, status: 1, total: 1, currency: 1, placedAt: 1 })
      .sort({ placedAt: -1 })
      .limit(5)
      .lean(),
  ]);
  return {
    customer: customer ? { ...plain(customer), id: String(customer._id) } : null,
    otherConversations: others.map((c) => ({ ...plain(c), id: String(c._id) })),
    orders: orders.map((o) => ({ ...plain(o), id: String(o._id) })),
  };
}

/**
 * Templates the agent may send in this conversation (the same rule as the send path): approved, the
 * conversation's channel, org-wide or for its inbox; with a label and an example per variable.
 */
export async function templatesFor(slug: string, ability: AppAbility, conversationId: string) {
  const conv = await getConversation(slug, ability, conversationId);
  const { Template, Conversation } = tenantModels(slug);
  const scope = await Conversation.findById(conv.id).select({ inboxId: 1 }).lean();
  const rows = await Template.find(sendableFilter({ channel: conv.channel, inboxId: scope?.inboxId }))
    .select({ name: 1, language: 1, category: 1, body: 1, variables: 1, examples: 1 })
    .sort({ name: 1, language: 1 })
    .limit(500)
    .lean();
  return rows.map((t) => ({
    id: String(t._id),
    name: t.name,
    language: t.language ?? 'en',
    category: t.category ?? null,
    body: t.body,
    variables: Array.from({ length: variableCount(t.body) }, (_, i) => ({ label: t.variables[i] ?? '', example: t.examples?.[i] ?? '' })),
  }));
}
