import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import type { Strategy } from './config';
import { scripts } from './scripts';

/**
 * Per-agent load counters in one Redis HASH per organisation. Choosing an agent and counting the new
 * conversation against them is one Lua script (scripts.ts), so two processes can never both take an
 * agent's last free slot. The conversation itself is claimed in MongoDB with a conditional update
 * (`assigneeId: null`); a lost claim gives the slot back.
 */
export const loadKey = (slug: string) => rkey('assign', slug, 'load');
/** Round-robin counters, one field per team (or `all`, `manual`, `reopen`). */
export const rrKey = (slug: string) => rkey('assign', slug, 'rr');

export interface Candidate {
  id: string;
  capacity: number;
}

/** Atomically choose an agent with a free slot and count the slot as taken; null when all are full. */
export async function pickAgent(slug: string, teamId: string, strategy: Strategy, candidates: Candidate[]): Promise<string | null> {
  if (!candidates.length) return null;
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1));
  const args = sorted.flatMap((c) => [c.id, String(c.capacity)]);
  const picked = await scripts().pickAgent(loadKey(slug), rrKey(slug), strategy, teamId, ...args);
  return typeof picked === 'string' ? picked : null;
}

export async function releaseSlot(slug: string, agentId: string): Promise<void> {
  await scripts().releaseSlot(loadKey(slug), agentId);
}

export async function loadsOf(slug: string): Promise<Record<string, number>> {
  const raw = await redis().hgetall(loadKey(slug));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}

/** Rebuild the counters from the conversations (the truth). Runs under the drain lock. */
export async function reconcileLoads(slug: string): Promise<Record<string, number>> {
  const rows = await tenantModels(slug)
    .Conversation.aggregate<{ _id: unknown; n: number }>([
      { $match: { assigneeId: { $ne: null }, status: { $ne: 'resolved' } } },
      { $group: { _id: '$assigneeId', n: { $sum: 1 } } },
    ]);
  const loads = Object.fromEntries(rows.map((r) => [String(r._id), r.n]));
  const m = redis().multi().del(loadKey(slug));
  if (rows.length) m.hset(loadKey(slug), loads);
  await m.exec();
  return loads;
}
