import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import type { EnginePipeline } from './scripts';

/**
 * No-answer deadlines: one sorted set per organisation, member = conversation id, score = the time
 * (ms) by which the assigned agent must have answered. A new assignment overwrites the score (one
 * active assignment per conversation), an agent's first reply removes the member, and the sweep
 * (every 15 s, jobs.ts) serves the due ones in bulk. That replaces one BullMQ delayed job per
 * decision (several Redis scripts and a hash each) with one ZADD member per decision, written in
 * the page's pipeline; a deadline is honoured to within the sweep interval.
 *
 * Who was assigned and when is read from MongoDB (the active Assignment), not from Redis, so a stale
 * member (answered, moved, resolved) costs one lookup and does nothing.
 */
export const noAnswerKey = (slug: string) => rkey('assign', slug, 'noanswer');
const noAnswerPrefix = () => rkey('assign', '');
const DUE_BATCH = 500;

export function scheduleNoAnswerInPipeline(p: EnginePipeline, slug: string, conversationIds: string[], deadline: number): void {
  if (!conversationIds.length) return;
  p.zadd(noAnswerKey(slug), ...conversationIds.flatMap((id) => [deadline, id]));
}

export async function scheduleNoAnswer(slug: string, conversationId: string, deadline: number): Promise<void> {
  await redis().zadd(noAnswerKey(slug), deadline, conversationId);
}

/** The agent answered (or the conversation left them): its deadline no longer applies. */
export async function cancelNoAnswer(slug: string, conversationId: string): Promise<void> {
  await redis().zrem(noAnswerKey(slug), conversationId);
}

// Remove a member only if its deadline is still the one that was served: a reassignment in between
// wrote a new deadline that must stay.
const REMOVE_IF_SCORE = `
local removed = 0
for i = 1, #ARGV, 2 do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) == tonumber(ARGV[i + 1]) then removed = removed + redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return removed
`;

export interface DueNoAnswer {
  conversationId: string;
  agentId: string;
  assignedAt: number;
}

/**
 * Serve the deadlines of `slug` due at `now`: each still-active assignment older than the deadline
 * is handed to `handle` (the reassignment, reassign.ts), then the served members are removed. A
 * crash before the removal only means the next sweep serves them again; `handle` is idempotent.
 */
export async function sweepNoAnswers(slug: string, now: number, noAnswerMs: number, handle: (due: DueNoAnswer) => Promise<unknown>): Promise<number> {
  let served = 0;
  for (;;) {
    const raw = await redis().zrangebyscore(noAnswerKey(slug), '-inf', now, 'WITHSCORES', 'LIMIT', 0, DUE_BATCH);
    if (!raw.length) return served;
    const due = new Map<string, number>();
    for (let i = 0; i < raw.length; i += 2) due.set(raw[i]!, Number(raw[i + 1]));
    const active = await tenantModels(slug)
      .Assignment.find({ conversationId: { $in: [...due.keys()] }, active: true }, { conversationId: 1, agentId: 1, createdAt: 1 })
      .lean();
    for (const a of active) {
      const deadline = due.get(String(a.conversationId))!;
      // A reassignment since this deadline was written carries its own, later deadline.
      const at = a.createdAt.getTime();
      if (at > deadline || at + noAnswerMs > now) continue;
      await handle({ conversationId: String(a.conversationId), agentId: String(a.agentId), assignedAt: at });
      served++;
    }
    await redis().eval(REMOVE_IF_SCORE, 1, noAnswerKey(slug), ...[...due].flat());
    if (raw.length < DUE_BATCH * 2) return served;
  }
}

/** Organisations with any pending deadline (the sweep walks these as well as those with presence). */
export async function slugsWithNoAnswers(): Promise<string[]> {
  const prefix = noAnswerPrefix();
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis().scan(cursor, 'MATCH', `${prefix}*:noanswer`, 'COUNT', 200);
    cursor = next;
    for (const k of keys) out.push(k.slice(prefix.length, -':noanswer'.length));
  } while (cursor !== '0');
  return out;
}
