import { z } from 'zod';
import { asSubject, scopedFilter, type AppAbility } from '../../authz';
import { CONVERSATION_CHANNELS, CONVERSATION_STATUSES, PRIORITIES } from '../../db/models/tenant';
import { tenantModels } from '../../tenancy/connections';
import { oid, plain } from '../shared/ids';

/**
 * The workspace's list: a view (mine / unassigned / my teams / all), the agent's filters and a
 * message-text search, always `$and`-ed under the CASL filter. Only typed values reach the query:
 * enums and a label string compared with `$eq`, so no operator from the client gets through.
 */
export const VIEWS = ['mine', 'unassigned', 'teams', 'all'] as const;
export type View = (typeof VIEWS)[number];

export const viewListInput = z.strictObject({
  view: z.enum(VIEWS).default('mine'),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  channel: z.enum(CONVERSATION_CHANNELS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  label: z.string().trim().min(1).max(60).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export interface Viewer {
  id: string;
  teamIds: string[];
}

/** Views this user's ability opens: a view that could only ever be empty is not offered. */
export function viewsFor(ability: AppAbility, user: Viewer): View[] {
  const all = ability.can('read', asSubject('Conversation', {}));
  const teams = user.teamIds.some(
    (t) =>
      ability.can('read', asSubject('Conversation', { teamId: t })) ||
      ability.can('read', asSubject('Conversation', { teamId: oid(t) })),
  );
  return VIEWS.filter(
    (v) =>
      v === 'mine' ||
      (v === 'all' && all) ||
      (v === 'teams' && user.teamIds.length > 0 && (teams || all)) ||
      (v === 'unassigned' && (all || teams)),
  );
}

function viewFilter(view: View, user: Viewer): Record<string, unknown> {
  if (view === 'mine') return { assigneeId: { $eq: oid(user.id) } };
  if (view === 'unassigned') return { assigneeId: { $eq: null }, status: { $ne: 'resolved' } };
  if (view === 'teams') return { teamId: { $in: user.teamIds.map(oid) } };
  return {};
}

const FIELDS = {
  customerId: 1,
  channel: 1,
  status: 1,
  priority: 1,
  labels: 1,
  assigneeId: 1,
  teamId: 1,
  lastMessageAt: 1,
  lastMessagePreview: 1,
  unreadCount: 1,
  updatedAt: 1,
  lastCustomerMessageAt: 1,
};

export async function listView(slug: string, ability: AppAbility, user: Viewer, input: z.infer<typeof viewListInput>) {
  const { Conversation, ConversationMessage, Customer } = tenantModels(slug);
  const own: Record<string, unknown>[] = [viewFilter(input.view, user)];
  if (input.status) own.push({ status: { $eq: input.status } });
  if (input.channel) own.push({ channel: { $eq: input.channel } });
  if (input.priority) own.push({ priority: { $eq: input.priority } });
  if (input.label) own.push({ labels: { $eq: input.label } });
  if (input.q) {
    // $text takes the words as a plain string; matching messages point at their conversations.
    const hits = await ConversationMessage.find({ $text: { $search: input.q } })
      .select({ conversationId: 1 })
      .limit(500)
      .lean();
    own.push({ _id: { $in: [...new Set(hits.map((h) => String(h.conversationId)))].map(oid) } });
  }
  const rows = await Conversation.find(scopedFilter(ability, 'read', 'Conversation', { $and: own }))
    .select(FIELDS)
    .sort({ lastMessageAt: -1, updatedAt: -1 })
    .limit(input.limit)
    .lean();
  const customers = await Customer.find({ _id: { $in: rows.map((r) => r.customerId) } })
    .select({ name: 1, phone: 1, email: 1 })
    .lean();
  const names = new Map(customers.map((c) => [String(c._id), c.name || c.phone || c.email || 'Customer']));
  return rows.map((c) => ({ ...plain(c), id: String(c._id), customerName: names.get(String(c.customerId)) ?? 'Customer' }));
}

/** Per view: conversations still needing work and those with unread customer messages. */
export async function viewCounts(slug: string, ability: AppAbility, user: Viewer) {
  const { Conversation } = tenantModels(slug);
  const views = viewsFor(ability, user);
  const counts = await Promise.all(
    views.map(async (view) => {
      const base = [viewFilter(view, user), { status: { $ne: 'resolved' } }];
      const [open, unread] = await Promise.all([
        Conversation.countDocuments(scopedFilter(ability, 'read', 'Conversation', { $and: base })),
        Conversation.countDocuments(
          scopedFilter(ability, 'read', 'Conversation', { $and: [...base, { unreadCount: { $gt: 0 } }] }),
        ),
      ]);
      return { view, open, unread };
    }),
  );
  return counts;
}
