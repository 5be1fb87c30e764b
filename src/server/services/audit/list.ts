import { z } from 'zod';
import { tenantModels } from '../../tenancy/connections';

/** The organisation's audit log, newest first, filtered by actor, action and date range. */
export const auditListInput = z
  .strictObject({
    actor: z.string().trim().max(254).optional(),
    action: z.string().trim().max(80).regex(/^[a-z0-9._-]*$/i, 'Letters, digits, dots and dashes only.').optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    /** Entries with a seq below this one (the cursor of the previous page). */
    cursor: z.number().int().positive().nullish(),
    /** Sent by tRPC's infinite queries; pages only go backwards in time. */
    direction: z.enum(['forward', 'backward']).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listOrgAudit(slug: string, input: z.infer<typeof auditListInput>) {
  const q: Record<string, unknown> = {};
  if (input.actor) q.$or = [{ actorEmail: { $eq: input.actor.toLowerCase() } }, { actorId: { $eq: input.actor } }];
  if (input.action) q.action = { $regex: `^${escapeRegex(input.action)}` };
  if (input.from || input.to) q.timestamp = { ...(input.from ? { $gte: input.from } : {}), ...(input.to ? { $lte: input.to } : {}) };
  if (input.cursor) q.seq = { $lt: input.cursor };
  const rows = await tenantModels(slug)
    .AuditLog.find(q)
    .sort({ seq: -1 })
    .limit(input.limit + 1)
    .select({ prevHash: 0 })
    .lean();
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map((e) => ({ ...e, _id: String(e._id) })),
    nextCursor: rows.length > input.limit ? page.at(-1)!.seq : null,
  };
}
