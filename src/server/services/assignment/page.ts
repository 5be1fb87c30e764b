import { Types } from 'mongoose';
import { tenantModels } from '../../tenancy/connections';
import { presenceKey } from '../presence/presence';
import { claimConversations } from './claim';
import { strategyFor, type AssignmentConfig } from './config';
import type { DrainLock } from './drain-lock';
import { eligibleAgents, type Agent } from './eligible';
import { loadKey, rrKey } from './load';
import { scheduleNoAnswerInPipeline } from './no-answer';
import { excludedKey, removeManyInPipeline } from './queue';
import { recordQueueAssignments, type QueueAssignment } from './record';
import { enginePipeline, scripts } from './scripts';

/**
 * One page of the queue served with a fixed number of round trips, whatever its size:
 *  1. MongoDB: the page's conversations and the present agents (skills, teams, capacity), together;
 *  2. Redis: one script decides every conversation in queue order (presence, exclusions, capacity,
 *     strategy) and reserves the slots;
 *  3. MongoDB: one bulk conditional claim;
 *  4. together: Redis gets the slots of lost claims back, the departures off the queue and the lock
 *     renewed and the no-answer deadlines (no-answer.ts); MongoDB gets the records and log entries.
 */
interface ConvRow {
  _id: Types.ObjectId;
  priority?: string;
  teamId?: Types.ObjectId | null;
  requiredSkills?: string[];
  status?: string;
  assigneeId?: Types.ObjectId | null;
  queuedAt?: Date | null;
}
interface UserRow {
  _id: Types.ObjectId;
  skills?: string[];
  teamIds?: Types.ObjectId[];
  maxConcurrent?: number;
}

export interface PageResult {
  assigned: number;
  /** Conversations that left the queue (assigned, or no longer waiting). */
  removed: number;
  /** Whether any online agent still has a free slot. */
  roomLeft: boolean;
}

export async function servePage(slug: string, ids: string[], present: string[], config: AssignmentConfig, lock: DrainLock): Promise<PageResult> {
  const { Conversation, User } = tenantModels(slug);
  // Through the driver: ids are cast here once, and Mongoose's per-query casting is not free.
  const oids = (xs: string[]) => xs.filter((x) => Types.ObjectId.isValid(x)).map((x) => new Types.ObjectId(x));
  const [convs, users] = await Promise.all([
    Conversation.collection
      .find<ConvRow>({ _id: { $in: oids(ids) } }, { projection: { priority: 1, teamId: 1, requiredSkills: 1, status: 1, assigneeId: 1, queuedAt: 1 } })
      .toArray(),
    User.collection
      .find<UserRow>({ _id: { $in: oids(present) }, status: 'active' }, { projection: { skills: 1, teamIds: 1, maxConcurrent: 1 } })
      .toArray(),
  ]);
  const byId = new Map(convs.map((c) => [String(c._id), c]));
  const gone: string[] = [];
  const waiting: typeof convs = [];
  for (const id of ids) {
    const c = byId.get(id);
    if (!c || c.status === 'resolved' || c.assigneeId) gone.push(id);
    else waiting.push(c);
  }
  // Sorted by id: round robin walks agents in a stable order whoever is online.
  const agents: Agent[] = users
    .map((u) => ({ id: String(u._id), skills: u.skills ?? [], teamIds: (u.teamIds ?? []).map(String), capacity: u.maxConcurrent ?? 0 }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const number = new Map(agents.map((a, i) => [a.id, i + 1]));

  let picks: number[] = [];
  let roomLeft = agents.length > 0;
  if (waiting.length && agents.length) {
    const keys = [loadKey(slug), rrKey(slug), ...agents.map((a) => presenceKey(a.id)), ...waiting.map((c) => excludedKey(slug, String(c._id)))];
    const args = waiting.flatMap((c) => {
      const teamId = c.teamId ? String(c.teamId) : undefined;
      const candidates = eligibleAgents(agents, { teamId, requiredSkills: c.requiredSkills ?? [] }).map((a) => number.get(a.id)!);
      return [strategyFor(config, teamId), teamId ?? 'all', candidates.join(',')];
    });
    const out = await scripts().pickBatch(keys.length, ...keys, agents.length, ...agents.flatMap((a) => [a.id, a.capacity]), ...args);
    picks = out.slice(0, waiting.length);
    roomLeft = out[waiting.length] === 1;
  }

  const chosen: Array<{ conv: (typeof convs)[number]; agentId: string; strategy: QueueAssignment['strategy'] }> = [];
  picks.forEach((n, i) => {
    const conv = waiting[i]!;
    if (n > 0) chosen.push({ conv, agentId: agents[n - 1]!.id, strategy: strategyFor(config, conv.teamId ? String(conv.teamId) : undefined) });
  });
  const outcomes = await claimConversations(
    slug,
    chosen.map((c) => ({ conversationId: c.conv._id, agentId: c.agentId })),
  );
  const won = chosen.filter((_, i) => outcomes[i] === 'claimed');
  const lost = chosen.filter((_, i) => outcomes[i] === 'lost');

  const p = enginePipeline();
  for (const l of lost) p.releaseSlot(loadKey(slug), l.agentId); // someone else (a manual move) got there first
  removeManyInPipeline(p, slug, won.map((w) => ({ id: String(w.conv._id), queuedAt: w.conv.queuedAt })), [...gone, ...lost.map((l) => String(l.conv._id))]);
  const assignedAt = new Date();
  scheduleNoAnswerInPipeline(p, slug, won.map((w) => String(w.conv._id)), assignedAt.getTime() + config.noAnswerSeconds * 1000);
  lock.renew(p);
  // Independent of each other: the queue bookkeeping and the records go out together.
  const [sent] = await Promise.all([p.exec(), recordQueueAssignments(slug, won, assignedAt)]);
  const failed = sent?.find(([err]) => err);
  if (failed) throw failed[0];
  return { assigned: won.length, removed: gone.length + chosen.length, roomLeft: roomLeft || lost.length > 0 };
}
