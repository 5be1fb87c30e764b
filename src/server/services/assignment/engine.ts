import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import { onlineAgents } from '../presence/presence';
import { getAssignmentConfig, strategyFor } from './config';
import { withDrainLock } from './drain-lock';
import { eligibleAgents, type Agent } from './eligible';
import { loadsOf, pickAgent, releaseSlot } from './load';
import { addToQueue, queuedIds, removeFromQueue } from './queue';
import { recordAssignment } from './record';

/**
 * The assignment engine. Every conversation that needs an agent enters the waiting queue; a drain
 * serves the queue in order (priority, then arrival), giving each conversation to an eligible
 * online agent with a free slot. Safety does not rest on the drain lock alone: the slot is taken
 * atomically in Redis and the conversation is claimed with a conditional update in MongoDB.
 */
const BATCH = 200;
const excludedKey = (slug: string, conversationId: string) => rkey('assign', slug, 'excluded', conversationId);

/** Put a conversation in the queue (idempotent) and serve the queue. */
export async function requestAssignment(slug: string, conversationId: string): Promise<void> {
  const { Conversation } = tenantModels(slug);
  const now = new Date();
  // Keep the first arrival time across requeues so a reassigned conversation does not lose its turn.
  await Conversation.updateOne({ _id: conversationId, queuedAt: null }, { $set: { queuedAt: now } });
  const conv = await Conversation.findById(conversationId, { priority: 1, queuedAt: 1, status: 1, assigneeId: 1 }).lean();
  if (!conv) throw new AppError('NOT_FOUND', 'Conversation not found');
  if (conv.status === 'resolved' || conv.assigneeId) return;
  await addToQueue(slug, conversationId, conv.priority, conv.queuedAt ?? now);
  await drainQueue(slug);
}

/** Never offer this conversation to `agentId` again (they let it time out), for a day. */
export async function excludeAgent(slug: string, conversationId: string, agentId: string) {
  await redis().multi().sadd(excludedKey(slug, conversationId), agentId).expire(excludedKey(slug, conversationId), 86_400).exec();
}

export async function availableAgents(slug: string): Promise<Agent[]> {
  const ids = await onlineAgents(slug);
  if (!ids.length) return [];
  const users = await tenantModels(slug)
    .User.find({ _id: { $in: ids }, status: 'active' }, { skills: 1, teamIds: 1, maxConcurrent: 1 })
    .lean();
  return users.map((u) => ({ id: String(u._id), skills: u.skills, teamIds: u.teamIds.map(String), capacity: u.maxConcurrent }));
}

/** Serve the queue (one drain per organisation at a time); returns how many were assigned. */
export function drainQueue(slug: string): Promise<number> {
  return withDrainLock(slug, () => drainOnce(slug));
}

async function drainOnce(slug: string): Promise<number> {
  const ids = await queuedIds(slug, BATCH);
  if (!ids.length) return 0;
  const agents = await availableAgents(slug);
  if (!agents.length) return 0;
  const { Conversation } = tenantModels(slug);
  const config = await getAssignmentConfig(slug);
  const convs = new Map(
    (await Conversation.find({ _id: { $in: ids } }, { priority: 1, teamId: 1, requiredSkills: 1, status: 1, assigneeId: 1, queuedAt: 1 }).lean()).map(
      (c) => [String(c._id), c],
    ),
  );
  const ex = redis().pipeline();
  for (const id of ids) ex.smembers(excludedKey(slug, id));
  const excluded = ((await ex.exec()) ?? []).map(([, v]) => new Set((v as string[] | null) ?? []));
  // A local view of the loads skips agents already full in this pass (the Lua script stays the judge).
  const loads = await loadsOf(slug);
  const hasRoom = (a: { id: string; capacity: number }) => (loads[a.id] ?? 0) < a.capacity;
  let assigned = 0;
  for (const [i, id] of ids.entries()) {
    const conv = convs.get(id);
    if (!conv || conv.status === 'resolved' || conv.assigneeId) {
      await removeFromQueue(slug, id, false);
      continue;
    }
    const teamId = conv.teamId ? String(conv.teamId) : undefined;
    const candidates = eligibleAgents(agents, { teamId, requiredSkills: conv.requiredSkills }, excluded[i]).filter(hasRoom);
    const strategy = strategyFor(config, teamId);
    const agentId = await pickAgent(slug, teamId ?? 'all', strategy, candidates);
    if (!agentId) {
      for (const c of candidates) loads[c.id] = c.capacity; // all full after all
      continue;
    }
    loads[agentId] = (loads[agentId] ?? 0) + 1;
    const claim = await Conversation.updateOne(
      { _id: conv._id, assigneeId: null, status: { $ne: 'resolved' } },
      { $set: { assigneeId: agentId }, $unset: { queuedAt: '' } },
    );
    await removeFromQueue(slug, id, claim.modifiedCount === 1);
    if (claim.modifiedCount !== 1) {
      await releaseSlot(slug, agentId); // someone else (a manual move) got there first
      continue;
    }
    await recordAssignment(slug, conv, agentId, { strategy, reason: 'queue', noAnswerSeconds: config.noAnswerSeconds });
    assigned++;
  }
  return assigned;
}
