import { tenantModels } from '../../tenancy/connections';
import { addBusinessMinutes } from './business-hours';
import { getSlaPolicy, targetFor } from './policy';

/** What the SLA page shows next to the policy: due times for a start time, and recent breaches. */
export async function previewDueTimes(slug: string, input: { priority?: string; teamId?: string; from?: Date }) {
  const policy = await getSlaPolicy(slug);
  const from = input.from ?? new Date();
  const t = targetFor(policy, input.priority, input.teamId);
  return {
    ...t,
    from,
    firstResponseDueAt: addBusinessMinutes(from, t.firstResponseMinutes, policy.businessHours),
    resolutionDueAt: addBusinessMinutes(from, t.resolutionMinutes, policy.businessHours),
  };
}

export async function recentBreaches(slug: string, limit: number) {
  const rows = await tenantModels(slug).EventLog.find({ type: 'sla.breached' }).sort({ at: -1 }).limit(limit).lean();
  return rows.map((r) => ({ id: String(r._id), at: r.at, conversationId: String(r.conversationId), data: r.data as { kind: string; dueAt: Date } }));
}
