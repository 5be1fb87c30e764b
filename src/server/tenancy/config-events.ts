import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis, redis, rkey } from '../redis';

/**
 * `org:config:updated` over Redis pub/sub. Security-relevant changes (suspension, secrets, roles,
 * domains) are published here and every web, realtime and worker process drops its caches for the
 * organisation, so the change is in force everywhere within about a second.
 *
 * If the subscriber loses Redis, messages sent meanwhile are lost; on reconnect every handler gets a
 * `slug: '*'` event so processes drop everything rather than serve stale config.
 */
export interface OrgConfigEvent {
  /** The organisation, or '*' for "drop everything". */
  slug: string;
  reason: string;
  at: number;
}
export type OrgConfigHandler = (event: OrgConfigEvent) => void | Promise<void>;

const ORIGIN = randomUUID();
const handlers = new Set<OrgConfigHandler>();
let subscriber: Redis | undefined;
let subscribed: Promise<void> | undefined;
let live = false;

export function configChannel(): string {
  return rkey('org', 'config', 'updated');
}

function dispatch(event: OrgConfigEvent): void {
  for (const handler of handlers) {
    try {
      void Promise.resolve(handler(event)).catch((err) => console.error('org:config handler failed', err));
    } catch (err) {
      console.error('org:config handler failed', err);
    }
  }
}

function ensureSubscriber(): Promise<void> {
  if (subscribed) return subscribed;
  // Named per process so operators (and tests) can find this connection in CLIENT LIST.
  const sub = createRedis({ maxRetriesPerRequest: null, connectionName: `org-config-sub:${process.pid}` });
  subscriber = sub;
  let readyOnce = false;
  sub.on('ready', () => {
    if (readyOnce) {
      live = true;
      dispatch({ slug: '*', reason: 'resubscribed', at: Date.now() });
    }
    readyOnce = true;
  });
  sub.on('close', () => {
    live = false;
  });
  sub.on('error', () => undefined); // ioredis retries; errors are reported by health checks
  sub.on('message', (_channel: string, raw: string) => {
    try {
      const msg = JSON.parse(raw) as OrgConfigEvent & { origin?: string };
      // Our own publications were already dispatched synchronously by publishOrgConfigUpdated.
      if (msg.origin === ORIGIN || typeof msg.slug !== 'string') return;
      dispatch({ slug: msg.slug, reason: String(msg.reason), at: Number(msg.at) });
    } catch {
      /* a malformed message must not kill the subscriber */
    }
  });
  subscribed = sub.subscribe(configChannel()).then(() => {
    live = true;
  });
  return subscribed;
}

/** Subscribe; returns the unsubscribe function. The first call opens the subscriber connection. */
export function onOrgConfigUpdated(handler: OrgConfigHandler): () => void {
  handlers.add(handler);
  void ensureSubscriber().catch((err) => console.error('org:config subscribe failed', err));
  return () => {
    handlers.delete(handler);
  };
}

/**
 * True while this process is subscribed. Caches use it to pick their lifetime: while invalidations
 * cannot reach us (Redis down, not subscribed yet), entries live only a second.
 */
export function configEventsLive(): boolean {
  return live;
}

/** Resolves once this process is actually subscribed (tests and start-up probes wait on it). */
export function configEventsReady(): Promise<void> {
  return ensureSubscriber();
}

/** Tell every process (this one synchronously) that `slug`'s configuration changed. */
export async function publishOrgConfigUpdated(slug: string, reason: string): Promise<void> {
  const event: OrgConfigEvent = { slug, reason, at: Date.now() };
  dispatch(event);
  try {
    await redis().publish(configChannel(), JSON.stringify({ ...event, origin: ORIGIN }));
  } catch (err) {
    // The change itself is already stored; a process that cannot hear us is deaf too and keeps
    // cache entries for one second only (org-cache.ts), so failing the caller would help nobody.
    console.error(`org:config:updated for ${slug} not published: ${(err as Error).message}`);
  }
}

export async function closeConfigEvents(): Promise<void> {
  const sub = subscriber;
  subscriber = undefined;
  subscribed = undefined;
  live = false;
  handlers.clear();
  if (!sub) return;
  // QUIT on a client that cannot reach Redis would wait forever: shutdown must not hang on it.
  if (sub.status !== 'ready') return sub.disconnect();
  await Promise.race([sub.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
  sub.disconnect();
}
