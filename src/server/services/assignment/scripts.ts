import type { ChainableCommander, Redis } from 'ioredis';
import { redis } from '../../redis';

/**
 * The engine's Redis scripts, registered once per connection with ioredis' defineCommand (EVALSHA,
 * the body is sent only when Redis does not know it yet). Each one is a decision that must not
 * interleave with another process's: reserving capacity, taking and handing back the drain lock.
 */

// One decision per queued conversation, in queue order, in one atomic step.
// KEYS: load hash, round-robin hash, then one presence key per agent, then one exclusion set per
//       conversation.
// ARGV: agent count A; A pairs (agent id, capacity); then per conversation: strategy ('round_robin'
//       or 'least_loaded'), round-robin field (team), candidate agent numbers ("1,4,7", 1-based,
//       in agent-id order).
// Returns one agent number per conversation (0: nobody free), then 1 if any online agent still has
// room after the batch (0 otherwise).
const PICK_BATCH = `
local A = tonumber(ARGV[1])
local ids, caps, loads, online = {}, {}, {}, {}
for i = 1, A do
  ids[i] = ARGV[2 * i]
  caps[i] = tonumber(ARGV[2 * i + 1])
  loads[i] = tonumber(redis.call('HGET', KEYS[1], ids[i]) or '0')
  online[i] = redis.call('HGET', KEYS[2 + i], 'status') == 'online'
end
local base = 2 * A + 1
local C = (#ARGV - base) / 3
local out = {}
for c = 1, C do
  local strategy, field, list = ARGV[base + 3 * c - 2], ARGV[base + 3 * c - 1], ARGV[base + 3 * c]
  local exKey = KEYS[2 + A + c]
  local hasEx = redis.call('EXISTS', exKey) == 1
  local cands = {}
  for token in string.gmatch(list, '%d+') do
    local i = tonumber(token)
    if online[i] and not (hasEx and redis.call('SISMEMBER', exKey, ids[i]) == 1) then cands[#cands + 1] = i end
  end
  local best = 0
  local n = #cands
  if n > 0 then
    if strategy == 'round_robin' then
      local start = redis.call('HINCRBY', KEYS[2], field, 1) % n
      for k = 0, n - 1 do
        local i = cands[(start + k) % n + 1]
        if loads[i] < caps[i] then best = i break end
      end
    else
      for _, i in ipairs(cands) do
        if loads[i] < caps[i] and (best == 0 or loads[i] < loads[best]) then best = i end
      end
    end
  end
  if best > 0 then
    loads[best] = loads[best] + 1
    redis.call('HINCRBY', KEYS[1], ids[best], 1)
  end
  out[c] = best
end
local room = 0
for i = 1, A do
  if online[i] and loads[i] < caps[i] then room = 1 break end
end
out[C + 1] = room
return out
`;

// One decision for an explicit candidate list (manual moves, reopened conversations), presence
// already checked by the caller. KEYS: load hash, round-robin hash. ARGV: strategy, round-robin
// field, then id,capacity pairs (sorted by id).
const PICK_AGENT = `
local n = (#ARGV - 2) / 2
if n < 1 then return false end
local start = 0
if ARGV[1] == 'round_robin' then start = redis.call('HINCRBY', KEYS[2], ARGV[2], 1) % n end
local best, bestLoad = nil, nil
for k = 0, n - 1 do
  local i = ((start + k) % n) * 2 + 3
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
const RELEASE_SLOT = `
local v = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if v > 0 then return redis.call('HINCRBY', KEYS[1], ARGV[1], -1) end
return 0
`;

// KEYS: lock, dirty, wanted. ARGV: token, ttl ms, mode.
// 'arrive': take the lock (clearing dirty: this holder will see everything queued so far) or mark
//           the queue dirty so the holder goes again.
// 'wait':   take the lock, or ask the holder to hand it over after its current pass (wanted).
const ACQUIRE_DRAIN = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if ARGV[3] == 'arrive' then redis.call('DEL', KEYS[2]) else redis.call('DEL', KEYS[3]) end
  return 1
end
if ARGV[3] == 'arrive' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) else redis.call('SET', KEYS[3], '1', 'PX', 1000) end
return 0
`;

// KEYS: lock, dirty, wanted. ARGV: token, ttl ms.
// 1: work arrived meanwhile, the lock is kept, go again; 0: released (a waiter that wanted the lock
// gets it now and the dirty mark stays for the drain that follows it); -1: no longer ours (expired).
const RELEASE_DRAIN = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('EXISTS', KEYS[3]) == 0 and redis.call('DEL', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
redis.call('DEL', KEYS[1])
return 0
`;

// KEYS: lock. ARGV: token. Release as is (after an error, after a waiter's work): dirty stays.
const UNLOCK_DRAIN = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

// KEYS: lock. ARGV: token, ttl ms. A long drain keeps its lock alive between pages.
const RENEW_DRAIN = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const DEFINITIONS = {
  pickBatch: { lua: PICK_BATCH },
  pickAgent: { numberOfKeys: 2, lua: PICK_AGENT },
  releaseSlot: { numberOfKeys: 1, lua: RELEASE_SLOT },
  acquireDrain: { numberOfKeys: 3, lua: ACQUIRE_DRAIN },
  releaseDrain: { numberOfKeys: 3, lua: RELEASE_DRAIN },
  renewDrain: { numberOfKeys: 1, lua: RENEW_DRAIN },
  unlockDrain: { numberOfKeys: 1, lua: UNLOCK_DRAIN },
} as const;

type Command<R> = (...args: Array<string | number>) => Promise<R>;
export interface EngineScripts {
  /** Variable key count: the first argument is the number of keys. */
  pickBatch: Command<number[]>;
  pickAgent: Command<string | null>;
  releaseSlot: Command<number>;
  acquireDrain: Command<number>;
  releaseDrain: Command<number>;
  renewDrain: Command<number>;
  unlockDrain: Command<number>;
}
export type EnginePipeline = ChainableCommander & { [K in keyof EngineScripts]: (...args: Array<string | number>) => EnginePipeline };

function define(r: Redis): Redis & EngineScripts {
  if (!(r as Partial<EngineScripts>).pickBatch) {
    for (const [name, def] of Object.entries(DEFINITIONS)) r.defineCommand(name, def);
  }
  return r as Redis & EngineScripts;
}

export const scripts = (): Redis & EngineScripts => define(redis());
export const enginePipeline = (): EnginePipeline => scripts().pipeline() as unknown as EnginePipeline;
