import type { Redis } from 'ioredis';
import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import type { Strategy } from './config';

/**
 * Per-agent load counters in one Redis HASH per organisation. Picking an agent and counting the new
 * conversation against them is one Lua script, so two processes can never both take an agent's
 * last free slot. The conversation itself is claimed in MongoDB with a conditional update
 * (`assigneeId: null`); a lost claim gives the slot back.
 */
export const loadKey = (slug: string) => rkey('assign', slug, 'load');
const rrKey = (slug: string, teamId: string) => rkey('assign', slug, 'rr', teamId);

// KEYS: load hash, round-robin counter. ARGV: strategy, then id,capacity pairs (sorted by id).
const PICK = `
local n = (#ARGV - 1) / 2
if n < 1 then return false end
local start = 0
if ARGV[1] == 'round_robin' then start = redis.call('INCR', KEYS[2]) % n end
local best, bestLoad = nil, nil
for k = 0, n - 1 do
  local i = ((start + k) % n) * 2 + 2
  local id, cap = ARGV[i], tonumber(ARGV[i + 1])
  local load = tonumber(redis.call('HGET', KEYS[1], id) or '0')
  if load < cap then
    if ARGV[1] == 'round_robin' then best = id break end
    if bestLoad == nil or load < bestLoad then best, bestLoad = id, load end
  end
end
if not best then return false end
redis.call('HINCRBY', KEYS[1], best, 1)
return best
`;
// Never below zero: a release after a reconcile already counted the conversation out.
const RELEASE = `
local v = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if v > 0 then return redis.call('HINCRBY', KEYS[1], ARGV[1], -1) end
return 0
`;

type Scripts = Redis & {
  pickAgent(...args: string[]): Promise<string | null>;
  releaseSlot(...args: string[]): Promise<number>;
};
/** EVALSHA through ioredis's defineCommand (the script body is sent once per connection). */
function scripts(): Scripts {
  const r = redis() as Scripts;
  if (!(r as { pickAgent?: unknown }).pickAgent) {
    r.defineCommand('pickAgent', { numberOfKeys: 2, lua: PICK });
    r.defineCommand('releaseSlot', { numberOfKeys: 1, lua: RELEASE });
  }
  return r;
}

export interface Candidate {
  id: string;
  capacity: number;
}

/** Atomically choose an agent with a free slot and count the slot as taken; null when all are full. */
export async function pickAgent(slug: string, teamId: string, strategy: Strategy, candidates: Candidate[]): Promise<string | null> {
  if (!candidates.length) return null;
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1));
  const args = sorted.flatMap((c) => [c.id, String(c.capacity)]);
  const picked = await scripts().pickAgent(loadKey(slug), rrKey(slug, teamId), strategy, ...args);
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
