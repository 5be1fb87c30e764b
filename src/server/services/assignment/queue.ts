import { PRIORITIES } from '../../db/models/tenant';
import { redis, rkey } from '../../redis';
import { tenantModels } from '../../tenancy/connections';
import type { EnginePipeline } from './scripts';

/**
 * The waiting queue: a sorted set per organisation ordered by priority (urgent first), then by
 * arrival. The score packs both so ZRANGE gives the order to serve in.
 */
export const queueKey = (slug: string) => rkey('assign', slug, 'queue');
const servedKey = (slug: string) => rkey('assign', slug, 'served');
/** Agents who let this conversation time out; it is never offered to them again (a day). */
export const excludedKey = (slug: string, conversationId: string) => rkey('assign', slug, 'excluded', conversationId);
const RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
const SPAN = 1e13; // ms timestamps stay below this until the year 2286

export function queueScore(priority: string | undefined, arrivedAt: Date): number {
  return (RANK[priority ?? 'normal'] ?? RANK.normal!) * SPAN + arrivedAt.getTime();
}
export const priorityRank = (p: string | undefined) => RANK[p ?? 'normal'] ?? 2;
export { PRIORITIES };

export async function addToQueue(slug: string, conversationId: string, priority: string | undefined, arrivedAt: Date) {
  await redis().zadd(queueKey(slug), queueScore(priority, arrivedAt), conversationId);
}

export async function removeFromQueue(slug: string, conversationId: string, served: boolean, queuedAt?: Date | null) {
  const removed = await redis().zrem(queueKey(slug), conversationId);
  if (removed && served) {
    const now = Date.now();
    await redis().multi().lpush(servedKey(slug), departures(now, 1, queuedAt?.getTime() ?? now)).ltrim(servedKey(slug), 0, 19).exec();
  }
}

/** A drain page's departures: `served` were assigned, `gone` no longer need an agent. */
export function removeManyInPipeline(p: EnginePipeline, slug: string, served: Array<{ id: string; queuedAt?: Date | null }>, gone: string[]): void {
  if (served.length + gone.length) p.zrem(queueKey(slug), ...served.map((s) => s.id), ...gone);
  if (!served.length) return;
  const now = Date.now();
  const since = Math.min(...served.map((s) => s.queuedAt?.getTime() ?? now));
  p.lpush(servedKey(slug), departures(now, served.length, since)).ltrim(servedKey(slug), 0, 19);
}

/** `<when>:<how many left the queue>:<since when the oldest of them waited>` */
const departures = (at: number, count: number, since: number) => `${at}:${count}:${Math.min(since, at)}`;

export async function queuedIds(slug: string, limit: number): Promise<string[]> {
  return redis().zrange(queueKey(slug), 0, limit - 1);
}

/**
 * Position (1-based) and an estimated wait from the pace at which the queue was served lately: the
 * last 20 departure batches, over the time from when the oldest of their conversations started
 * waiting until the newest batch left. Without that history the estimate is unknown (null).
 */
export async function queuePosition(slug: string, conversationId: string) {
  const [rank, total, served] = await Promise.all([
    redis().zrank(queueKey(slug), conversationId),
    redis().zcard(queueKey(slug)),
    redis().lrange(servedKey(slug), 0, 19),
  ]);
  if (rank === null) return { queued: false as const, length: total };
  const batches = served.map((e) => e.split(':').map(Number)).filter((b) => b.length === 3 && b.every(Number.isFinite)) as Array<[number, number, number]>;
  const departed = batches.reduce((n, [, count]) => n + count, 0);
  const span = batches.length ? Math.max(...batches.map((b) => b[0])) - Math.min(...batches.map((b) => b[2])) : 0;
  const perMs = span > 0 && departed > 0 ? departed / span : null;
  const estimatedWaitSeconds = perMs ? Math.round((rank + 1) / perMs / 1000) : null;
  return { queued: true as const, position: rank + 1, length: total, estimatedWaitSeconds };
}

/**
 * MongoDB is the record, Redis keeps nothing on disk: after a Redis restart the queue is empty while
 * conversations still wait. Put every waiting conversation back (NX keeps the places of those still
 * queued). Runs from the sweep under the drain lock.
 */
export async function requeueWaiting(slug: string): Promise<number> {
  const waiting = await tenantModels(slug)
    .Conversation.find({ status: { $in: ['open', 'pending'] }, queuedAt: { $ne: null }, assigneeId: null }, { priority: 1, queuedAt: 1 })
    .limit(50_000)
    .lean();
  if (!waiting.length) return 0;
  const members = waiting.flatMap((c) => [queueScore(c.priority, c.queuedAt!), String(c._id)]);
  return redis().zadd(queueKey(slug), 'NX', ...members);
}