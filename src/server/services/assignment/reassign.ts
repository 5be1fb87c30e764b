import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { presenceOf, type PresenceStatus } from '../presence/presence';
import { assignmentConfigFor } from './config';
import { waitForDrainLock } from './drain-lock';
import { drainQueue, excludeAgent, requestAssignment } from './engine';
import { pickAgent, releaseSlot } from './load';
import { sweepNoAnswers } from './no-answer';
import { removeFromQueue } from './queue';
import { endAssignment, recordAssignment } from './record';

/**
 * An agent went offline: their open conversations go back to the queue, then the queue is served.
 * This waits for the drain lock, so a drain pass that chose the agent just before they left has
 * written its claims and records first, and they are all found here.
 */
export async function reassignFromAgent(slug: string, agentId: string, reason: 'offline' | 'deactivated') {
  const moved = await waitForDrainLock(slug, async () => {
    const convs = await tenantModels(slug).Conversation.find({ assigneeId: agentId, status: { $in: ['open', 'pending'] } }, { _id: 1 }).lean();
    let n = 0;
    for (const c of convs) {
      if (!(await endAssignment(slug, String(c._id), agentId, reason))) continue;
      await releaseSlot(slug, agentId);
      await requestAssignment(slug, String(c._id)); // queued; the lock is ours, so it only marks dirty
      n++;
    }
    return n;
  });
  await drainQueue(slug);
  return moved;
}

/** Presence changes: coming online drains the queue; going offline hands conversations back. */
export async function onPresenceChange(slug: string, agentId: string, _from: PresenceStatus, to: PresenceStatus) {
  if (to === 'online') await drainQueue(slug);
  if (to === 'offline') {
    // Still offline by the time this runs (a quick offline/online flicker keeps the work)?
    if ((await presenceOf(agentId)) === 'offline') await reassignFromAgent(slug, agentId, 'offline');
    else await drainQueue(slug);
  }
}

/**
 * The no-answer timer: still with the same agent, no agent reply since the assignment -> the agent
 * is skipped for this conversation and it is served again. A stale timer (answered, moved, resolved)
 * does nothing, so redelivery is harmless.
 */
export async function handleNoAnswer(p: { slug: string; conversationId: string; agentId: string; assignedAt: number }) {
  const { Conversation, ConversationMessage } = tenantModels(p.slug);
  const conv = await Conversation.findById(p.conversationId, { assigneeId: 1, status: 1 }).lean();
  if (!conv || String(conv.assigneeId) !== p.agentId || conv.status === 'resolved') return { moved: false };
  const answered = await ConversationMessage.exists({
    conversationId: conv._id,
    direction: 'out',
    senderType: 'agent',
    type: { $ne: 'note' }, // an internal note is not an answer: the customer never sees it
    createdAt: { $gte: new Date(p.assignedAt) },
  });
  if (answered) return { moved: false };
  await excludeAgent(p.slug, p.conversationId, p.agentId);
  if (!(await endAssignment(p.slug, p.conversationId, p.agentId, 'no_answer'))) return { moved: false };
  await releaseSlot(p.slug, p.agentId);
  await requestAssignment(p.slug, p.conversationId);
  return { moved: true };
}

/** The sweep's share of no-answer: every deadline due by `now` served (no-answer.ts). */
export async function serveNoAnswers(slug: string, now = Date.now()): Promise<number> {
  const { noAnswerSeconds } = await assignmentConfigFor(slug);
  return sweepNoAnswers(slug, now, noAnswerSeconds * 1000, (due) => handleNoAnswer({ slug, ...due }));
}

/** A capacity slot freed (resolved, snoozed): serve the queue. */
export async function onConversationClosed(slug: string, conversationId: string, agentId: string | undefined) {
  if (!agentId) return;
  const { Assignment } = tenantModels(slug);
  const res = await Assignment.updateMany({ conversationId, active: true }, { $set: { active: false, endedAt: new Date(), endReason: 'resolved' } });
  if (res.modifiedCount) await releaseSlot(slug, agentId);
  await drainQueue(slug);
}

/**
 * Manual move by someone whose role allows it (the caller checked `reassign` on the conversation, see
 * services/conversations/scoped.ts). To an agent: active, not offline, with a free slot (capacity
 * holds for manual moves too). To nobody: back to the queue.
 */
export async function moveConversation(slug: string, conversationId: string, toAgentId: string | null, actorId?: string) {
  const { Conversation, User } = tenantModels(slug);
  const conv = await Conversation.findById(conversationId).lean();
  if (!conv) throw new AppError('NOT_FOUND', 'Conversation not found');
  const from = conv.assigneeId ? String(conv.assigneeId) : null;
  if (from === toAgentId) return { assigneeId: toAgentId };
  if (conv.status === 'resolved') throw new AppError('CONFLICT', 'This conversation is resolved');
  if (!toAgentId) {
    if (from && (await endAssignment(slug, conversationId, from, 'manual_unassign', actorId))) await releaseSlot(slug, from);
    await requestAssignment(slug, conversationId);
    return { assigneeId: null };
  }
  const agent = await User.findOne({ _id: toAgentId, status: 'active' }, { maxConcurrent: 1 }).lean();
  if (!agent) throw new AppError('BAD_REQUEST', 'That agent does not exist or is not active');
  if ((await presenceOf(toAgentId)) === 'offline') throw new AppError('CONFLICT', 'That agent is offline');
  if (!(await pickAgent(slug, 'manual', 'least_loaded', [{ id: toAgentId, capacity: agent.maxConcurrent }])))
    throw new AppError('CONFLICT', 'That agent has no free capacity');
  const claim = await Conversation.updateOne({ _id: conv._id, assigneeId: from }, { $set: { assigneeId: toAgentId }, $unset: { queuedAt: '' } });
  if (claim.modifiedCount !== 1) {
    await releaseSlot(slug, toAgentId);
    throw new AppError('CONFLICT', 'The conversation changed meanwhile; try again');
  }
  if (from) await releaseSlot(slug, from);
  await removeFromQueue(slug, conversationId, true, conv.queuedAt);
  await recordAssignment(slug, conv, toAgentId, { strategy: 'manual', assignedBy: actorId, reason: from ? 'manual_move' : 'manual' });
  return { assigneeId: toAgentId };
}
