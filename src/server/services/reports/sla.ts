import { scopedFilter, type AppAbility } from '../../authz';
import { tenantModels } from '../../tenancy/connections';

/**
 * SLA report rows per agent, team and branch, computed from conversations. Report rules speak of
 * `agentId` (the agent the row is about); a conversation stores it as `assigneeId`, so the CASL filter
 * is translated key by key and then cast by mongoose (ids in rules are strings, in documents ObjectIds).
 */
function renameKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameKeys);
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === 'agentId' ? 'assigneeId' : k, renameKeys(v)]));
}

export interface SlaRow {
  agentId: string | null;
  teamId: string | null;
  branchId: string | null;
  conversations: number;
  resolved: number;
  firstResponseBreached: number;
}

export async function slaReport(slug: string, ability: AppAbility): Promise<SlaRow[]> {
  const { Conversation } = tenantModels(slug);
  const query = Conversation.find(renameKeys(scopedFilter(ability, 'read', 'SlaReport')) as Record<string, unknown>);
  query.cast(Conversation);
  const rows = await Conversation.aggregate<{ _id: { a: unknown; t: unknown; b: unknown }; n: number; resolved: number; breached: number }>([
    { $match: query.getFilter() },
    {
      $group: {
        _id: { a: '$assigneeId', t: '$teamId', b: '$branchId' },
        n: { $sum: 1 },
        resolved: { $sum: { $cond: [{ $eq: ['$status', 'resolved'] }, 1, 0] } },
        breached: {
          $sum: { $cond: [{ $and: [{ $ne: ['$firstResponseDueAt', null] }, { $gt: [{ $ifNull: ['$firstResponseAt', '$$NOW'] }, '$firstResponseDueAt'] }] }, 1, 0] },
        },
      },
    },
    { $sort: { n: -1 } },
    { $limit: 1000 },
  ]);
  const str = (v: unknown) => (v == null ? null : String(v));
  return rows.map((r) => ({
    agentId: str(r._id.a),
    teamId: str(r._id.t),
    branchId: str(r._id.b),
    conversations: r.n,
    resolved: r.resolved,
    firstResponseBreached: r.breached,
  }));
}
