import { enqueue } from '../../queues/enqueue';
import { tenantModels } from '../../tenancy/connections';
import { addBusinessMinutes } from './business-hours';
import { slaCheckJob } from './jobs';
import { getSlaPolicy, targetFor } from './policy';

/**
 * Due times for a conversation that starts (or restarts) waiting: stored on the conversation, with
 * one delayed check per target at its due time. The job id carries the due time, so recomputing
 * the same due times schedules nothing new, and a check for an outdated due time does nothing.
 */
export async function applySlaDueTimes(slug: string, conversationId: string, from = new Date()) {
  const { Conversation } = tenantModels(slug);
  const conv = await Conversation.findById(conversationId, { priority: 1, teamId: 1, firstResponseAt: 1 }).lean();
  if (!conv) return null;
  const policy = await getSlaPolicy(slug);
  const t = targetFor(policy, conv.priority, conv.teamId ? String(conv.teamId) : undefined);
  const firstResponseDueAt = conv.firstResponseAt ? undefined : addBusinessMinutes(from, t.firstResponseMinutes, policy.businessHours);
  const resolutionDueAt = addBusinessMinutes(from, t.resolutionMinutes, policy.businessHours);
  await Conversation.updateOne({ _id: conv._id }, { $set: { resolutionDueAt, ...(firstResponseDueAt ? { firstResponseDueAt } : {}) } });
  const due = [
    ['first_response', firstResponseDueAt],
    ['resolution', resolutionDueAt],
  ] as const;
  for (const [kind, at] of due) {
    if (!at) continue;
    await enqueue(
      slaCheckJob,
      { slug, conversationId, kind, dueAt: at.getTime() },
      { jobId: `sla-${slug}-${conversationId}-${kind}-${at.getTime()}`, delayMs: Math.max(0, at.getTime() - Date.now()) },
    );
  }
  return { firstResponseDueAt, resolutionDueAt };
}
