import { scopedFilter, type AppAbility } from '../../authz';
import { tenantModels } from '../../tenancy/connections';

/**
 * Raw conversation export as CSV: what the user may read, nothing else. Large exports belong on the
 * queue (a later issue); this synchronous path is capped.
 */
const COLUMNS = ['id', 'channel', 'status', 'priority', 'assigneeId', 'teamId', 'branchId', 'createdAt', 'resolvedAt'] as const;
export const EXPORT_CAP = 10_000;

function cell(v: unknown): string {
  const s = v == null ? '' : v instanceof Date ? v.toISOString() : String(v);
  // Quote everything that could break a row, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportConversationsCsv(slug: string, ability: AppAbility): Promise<{ csv: string; rows: number }> {
  const docs = await tenantModels(slug)
    .Conversation.find(scopedFilter(ability, 'read', 'Conversation'))
    .sort({ createdAt: 1 })
    .limit(EXPORT_CAP)
    .lean();
  const lines = [COLUMNS.join(',')];
  for (const d of docs) {
    const row = { ...d, id: d._id } as Record<string, unknown>;
    lines.push(COLUMNS.map((c) => cell(row[c])).join(','));
  }
  return { csv: `${lines.join('\n')}\n`, rows: docs.length };
}
