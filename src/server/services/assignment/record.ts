import type { Types } from 'mongoose';
import { enqueue } from '../../queues/enqueue';
import { emitToOrg, emitToUser } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { noAnswerJob } from './jobs';

/**
 * After a successful claim: the Assignment record (history, one active per conversation), the event
 * log entry, live events to the agent and the organisation, and the no-answer timer.
 */
export async function recordAssignment(
  slug: string,
  conv: { _id: Types.ObjectId; teamId?: Types.ObjectId | null; queuedAt?: Date | null },
  agentId: string,
  how: { strategy: 'round_robin' | 'least_loaded' | 'manual'; assignedBy?: string; reason: string; noAnswerSeconds?: number },
) {
  const { Assignment, EventLog } = tenantModels(slug);
  const conversationId = String(conv._id);
  await Assignment.updateMany({ conversationId: conv._id, active: true }, { $set: { active: false, endedAt: new Date(), endReason: 'replaced' } });
  const record = await Assignment.create({
    conversationId: conv._id,
    agentId,
    teamId: conv.teamId ?? undefined,
    strategy: how.strategy,
    assignedBy: how.assignedBy,
    reason: how.reason,
  });
  const waitedMs = conv.queuedAt ? Date.now() - conv.queuedAt.getTime() : 0;
  const payload = { conversationId, assigneeId: agentId, teamId: conv.teamId ? String(conv.teamId) : null, cursor: conversationId };
  emitToUser(slug, agentId, 'inbox:conversation.assigned', payload);
  emitToOrg(slug, 'inbox:conversation.updated', payload);
  const at = record.createdAt.getTime();
  // Independent writes: the log entry and the no-answer timer go out together.
  await Promise.all([
    EventLog.create({
      type: 'conversation.assigned',
      conversationId: conv._id,
      actorType: how.assignedBy ? 'user' : 'system',
      actorId: how.assignedBy,
      data: { agentId, strategy: how.strategy, reason: how.reason, waitedMs, queuedAt: conv.queuedAt ?? undefined },
    }),
    how.noAnswerSeconds
      ? enqueue(noAnswerJob, { slug, conversationId, agentId, assignedAt: at }, { jobId: `noanswer-${slug}-${conversationId}-${at}`, delayMs: how.noAnswerSeconds * 1000 })
      : undefined,
  ]);
  return record;
}

/** End the active assignment of `agentId` (offline, no answer, manual move); false if not theirs. */
export async function endAssignment(slug: string, conversationId: string, agentId: string, reason: string, actorId?: string) {
  const { Conversation, Assignment, EventLog } = tenantModels(slug);
  const res = await Conversation.updateOne({ _id: conversationId, assigneeId: agentId }, { $unset: { assigneeId: '' } });
  if (res.modifiedCount !== 1) return false;
  await Assignment.updateMany({ conversationId, active: true }, { $set: { active: false, endedAt: new Date(), endReason: reason } });
  await EventLog.create({
    type: 'conversation.unassigned',
    conversationId,
    actorType: actorId ? 'user' : 'system',
    actorId,
    data: { agentId, reason },
  });
  emitToUser(slug, agentId, 'inbox:conversation.unassigned', { conversationId, reason, cursor: conversationId });
  emitToOrg(slug, 'inbox:conversation.updated', { conversationId, assigneeId: null, cursor: conversationId });
  return true;
}
