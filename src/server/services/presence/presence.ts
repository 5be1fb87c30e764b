import { redis, rkey } from '../../redis';

/**
 * Agent presence from the realtime heartbeat (chat seed): `presence:{userId}` HASH with a 35 s TTL
 * refreshed every 30 s, and `online:{slug}` SET of the users whose last beat said online or away. A
 * key that expires means the agent vanished without saying goodbye: the sweep job notices it.
 */
export const PRESENCE_TTL_S = 35;
export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const presenceKey = (userId: string) => rkey('presence', userId);
export const onlineKey = (slug: string) => rkey('online', slug);

export type PresenceChange = (slug: string, userId: string, from: PresenceStatus, to: PresenceStatus) => Promise<void> | void;
let onChange: PresenceChange = () => undefined;

/** The assignment engine registers here: online drains the queue, offline reassigns. */
export function setPresenceChangeHandler(next: PresenceChange | null): void {
  onChange = next ?? (() => undefined);
}

export async function presenceOf(userId: string): Promise<PresenceStatus> {
  const status = await redis().hget(presenceKey(userId), 'status');
  return (PRESENCE_STATUSES as readonly string[]).includes(status ?? '') ? (status as PresenceStatus) : 'offline';
}

/** One heartbeat: records the status and, on a change, tells the engine. */
export async function heartbeat(slug: string, userId: string, status: PresenceStatus): Promise<{ from: PresenceStatus; to: PresenceStatus }> {
  const before = await presenceOf(userId);
  const r = redis().multi();
  if (status === 'offline') {
    r.del(presenceKey(userId)).srem(onlineKey(slug), userId);
  } else {
    r.hset(presenceKey(userId), { status, slug, at: String(Date.now()) })
      .expire(presenceKey(userId), PRESENCE_TTL_S)
      .sadd(onlineKey(slug), userId);
  }
  await r.exec();
  if (before !== status) await onChange(slug, userId, before, status);
  return { from: before, to: status };
}

/** Users of an organisation whose presence is `online` (away agents keep their work, get nothing new). */
export async function onlineAgents(slug: string): Promise<string[]> {
  const members = await redis().smembers(onlineKey(slug));
  if (!members.length) return [];
  const p = redis().pipeline();
  for (const id of members) p.hget(presenceKey(id), 'status');
  const res = (await p.exec()) ?? [];
  return members.filter((_, i) => res[i]?.[1] === 'online');
}

/** Members whose heartbeat key expired: removed from the set and reported offline. */
export async function sweepPresence(slug: string): Promise<string[]> {
  const members = await redis().smembers(onlineKey(slug));
  const p = redis().pipeline();
  for (const id of members) p.exists(presenceKey(id));
  const res = (await p.exec()) ?? [];
  const gone = members.filter((_, i) => res[i]?.[1] === 0);
  for (const id of gone) {
    if ((await redis().srem(onlineKey(slug), id)) === 1) await onChange(slug, id, 'online', 'offline');
  }
  return gone;
}

/** Organisations that have anyone present (the sweep job walks these). */
export async function slugsWithPresence(): Promise<string[]> {
  const prefix = rkey('online', '');
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis().scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
    cursor = next;
    for (const k of keys) out.push(k.slice(prefix.length));
  } while (cursor !== '0');
  return out;
}
