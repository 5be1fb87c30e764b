import { PRIORITIES } from '../../db/models/tenant';
import { redis, rkey } from '../../redis';

/**
 * The waiting queue: a sorted set per organisation ordered by priority (urgent first), then by
 * arrival. The score packs both so ZRANGE gives the order to serve in.
 */
export const queueKey = (slug: string) => rkey('assign', slug, 'queue');
const servedKey = (slug: string) => rkey('assign', slug, 'served');
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

export async function removeFromQueue(slug: string, conversationId: string, served: boolean) {
  const removed = await redis().zrem(queueKey(slug), conversationId);
  if (removed && served) {
    await redis().multi().lpush(servedKey(slug), String(Date.now())).ltrim(servedKey(slug), 0, 19).exec();
  }
}

export async function queuedIds(slug: string, limit: number): Promise<string[]> {
  return redis().zrange(queueKey(slug), 0, limit - 1);
}

/**
 * Position (1-based) and an estimated wait from the pace at which the queue was served lately:
 * the last 20 departures give a rate; with fewer than two the estimate is unknown (null).
 */
export async function queuePosition(slug: string, conversationId: string) {
  const [rank, total, served] = await Promise.all([
    redis().zrank(queueKey(slug), conversationId),
    redis().zcard(queueKey(slug)),
    redis().lrange(servedKey(slug), 0, 19),
  ]);
  if (rank === null) return { queued: false as const, length: total };
  const times = served.map(Number).sort((a, b) => a - b);
  const span = times.length >= 2 ? times.at(-1)! - times[0]! : 0;
  const perMs = span > 0 ? (times.length - 1) / span : null;
  const estimatedWaitSeconds = perMs ? Math.round((rank + 1) / perMs / 1000) : null;
  return { queued: true as const, position: rank + 1, length: total, estimatedWaitSeconds };
}
