import { mongo, Types } from 'mongoose';
import { emitToOrg, emitToUser } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { scheduleNoAnswer } from './no-answer';

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
      ? scheduleNoAnswer(slug, conversationId, at + how.noAnswerSeconds * 1000)
      : undefined,
  ]);
  return record;
}

/** A second active record for a conversation is refused by the unique index; that is the point. */
function keepOnlyDuplicates(err: unknown): void {
  const errors = err instanceof mongo.MongoBulkWriteError ? [err.writeErrors].flat() : [];
  if (!errors.length || errors.some((e) => e.code !== 11000)) throw err;
  console.warn(`[assignment] ${errors.length} assignment record(s) refused: the conversation already had an active one`);
}

export interface QueueAssignment {
  conv: { _id: Types.ObjectId; teamId?: Types.ObjectId | null; queuedAt?: Date | null };
  agentId: string;
  strategy: 'round_robin' | 'least_loaded';
}

/**
 * The same as recordAssignment for a whole drain page, in a few round trips: records and log entries
 * written together, live events after (the page writes the no-answer deadlines with its Redis
 * bookkeeping). The unique index on active assignments stays
 * the last line: a record that would be a second active one for a conversation is refused, not kept.
 */
export async function recordQueueAssignments(slug: string, items: QueueAssignment[], now = new Date()) {
  if (!items.length) return;
  const { Assignment, EventLog } = tenantModels(slug);
  const at = now.getTime();
  await Assignment.updateMany(
    { conversationId: { $in: items.map((i) => i.conv._id) }, active: true },
    { $set: { active: false, endedAt: now, endReason: 'replaced' } },
  );
  // Written through the driver: these documents are built here in full, and Mongoose's per-document
  // construction and validation was the largest cost of a drain page on the engine's side.
  await Promise.all([
    Assignment.collection
      .insertMany(
        items.map(({ conv, agentId, strategy }) => ({
          _id: new Types.ObjectId(),
          conversationId: conv._id,
          agentId: new Types.ObjectId(agentId),
          ...(conv.teamId ? { teamId: conv.teamId } : {}),
          active: true,
          strategy,
          reason: 'queue',
          createdAt: now,
          updatedAt: now,
          __v: 0,
        })),
        { ordered: false },
      )
      .catch(keepOnlyDuplicates),
    EventLog.collection.insertMany(
      items.map(({ conv, agentId, strategy }) => ({
        _id: new Types.ObjectId(),
        type: 'conversation.assigned',
        at: now,
        conversationId: conv._id,
        actorType: 'system',
        data: { agentId, strategy, reason: 'queue', waitedMs: conv.queuedAt ? at - conv.queuedAt.getTime() : 0, ...(conv.queuedAt ? { queuedAt: conv.queuedAt } : {}) },
      })),
      { ordered: false },
    ),
  ]);
  for (const { conv, agentId } of items) {
    const conversationId = String(conv._id);
    const payload = { conversationId, assigneeId: agentId, teamId: conv.teamId ? String(conv.teamId) : null, cursor: conversationId };
    emitToUser(slug, agentId, 'inbox:conversation.assigned', payload);
    emitToOrg(slug, 'inbox:conversation.updated', payload);
  }
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
