import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError } from '../../errors';
import { redis } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import { onlineAgents, onlineKey } from '../presence/presence';
import { assignmentConfigFor } from './config';
import { acquireInPipeline, holdDrainLock, withDrainLock, type DrainLock } from './drain-lock';
import { type Agent } from './eligible';
import { servePage } from './page';
import { excludedKey, queueKey, queueScore } from './queue';
import { enginePipeline } from './scripts';

/**
 * The assignment engine. Every conversation that needs an agent enters the waiting queue; a drain
 * serves the queue in order (priority, then arrival) a page at a time, giving each conversation to
 * an eligible online agent with a free slot (page.ts). Safety does not rest on the drain lock alone:
 * slots are taken atomically in Redis and conversations are claimed with conditional updates in
 * MongoDB.
 */
/**
 * Put a conversation in the queue (idempotent) and serve the queue. Two round trips when nothing else
 * is draining: stamp the arrival time in MongoDB, then queue it and take the drain lock together.
 */
export async function requestAssignment(slug: string, conversationId: string): Promise<void> {
  const { Conversation } = tenantModels(slug);
  if (!Types.ObjectId.isValid(conversationId)) throw new AppError('NOT_FOUND', 'Conversation not found');
  const _id = new Types.ObjectId(conversationId);
  // Keep the first arrival time across requeues so a reassigned conversation does not lose its turn:
  // stamp it only where there is none (a plain $set; a pipeline update's $ifNull costs far more in
  // the embedded server), else read the one it has (requeues, repeated requests).
  const waiting = { _id, status: { $ne: 'resolved' }, assigneeId: null };
  const projection = { priority: 1, queuedAt: 1 };
  const conv =
    (await Conversation.collection.findOneAndUpdate({ ...waiting, queuedAt: null }, { $set: { queuedAt: new Date() } }, { returnDocument: 'after', projection })) ??
    (await Conversation.collection.findOne(waiting, { projection }));
  if (!conv) {
    if (!(await Conversation.exists({ _id }))) throw new AppError('NOT_FOUND', 'Conversation not found');
    return; // resolved or already with an agent
  }
  const token = randomUUID();
  const p = enginePipeline();
  p.zadd(queueKey(slug), queueScore(conv.priority as string | undefined, conv.queuedAt as Date), conversationId);
  const res = await acquireInPipeline(p, slug, token).exec();
  const [zaddErr] = res?.[0] ?? [];
  const [lockErr, acquired] = res?.[1] ?? [];
  if (zaddErr || lockErr) throw zaddErr ?? lockErr;
  if (acquired === 1) await holdDrainLock(slug, token, (lock) => drainPages(slug, lock));
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
  return withDrainLock(slug, (lock) => drainPages(slug, lock));
}

const PAGE = 200;
/**
 * The first page of a pass is small: when every online agent is full (a long queue at saturation),
 * each arrival's pass learns that from a few conversations instead of reading and deciding 200.
 */
const FIRST_PAGE = 16;

/**
 * One pass over the queue, page by page, while some online agent still has room: a head of
 * conversations nobody can take (a skill no one online has) does not hold back those behind it.
 */
async function drainPages(slug: string, lock: DrainLock): Promise<number> {
  let assigned = 0;
  for (let offset = 0, size = FIRST_PAGE; ; size = PAGE) {
    const res = await redis().pipeline().zrange(queueKey(slug), offset, offset + size - 1).smembers(onlineKey(slug)).exec();
    const ids = (res?.[0]?.[1] as string[] | undefined) ?? [];
    const present = (res?.[1]?.[1] as string[] | undefined) ?? [];
    if (!ids.length || !present.length) return assigned;
    const page = await servePage(slug, ids, present, await assignmentConfigFor(slug), lock);
    assigned += page.assigned;
    if (!page.roomLeft || ids.length < size) return assigned;
    offset += ids.length - page.removed;
  }
}
