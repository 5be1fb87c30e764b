import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { getEnv } from '../env';
import { createRedis } from '../redis';
import { channelRoom, orgRoom, socketIoKey, userRoom } from './rooms';
import { visitorRoom, WIDGET_NAMESPACE } from './widget-rooms';

/**
 * How the web app and the worker reach sockets: they publish to Redis and every realtime instance's
 * adapter delivers to its local sockets. Neither ever imports the Socket.IO server.
 *
 * Every event carries `at` (server time). Clients that reconnect re-sync from the database by cursor
 * (see src/lib/realtime-client.ts `onResync`), so an event missed during a Redis blip is never lost,
 * only late. Feature events add their own `cursor` (e.g. the message id) to the payload.
 */
let client: Redis | undefined;
let emitter: Emitter | undefined;

function getEmitter(): Emitter {
  if (!emitter) {
    // Auto-pipelining: the publishes made in one event-loop turn (a batch of ingest jobs finishing
    // together) leave in one socket write instead of one each. One connection, FIFO, so events keep
    // their order (per conversation and overall).
    client = createRedis({ maxRetriesPerRequest: 2, enableAutoPipelining: true });
    client.on('error', () => undefined); // health checks report Redis; emits are best effort
    emitter = new Emitter(client, { key: socketIoKey(getEnv().REDIS_PREFIX) });
  }
  return emitter;
}

export type RealtimePayload = Record<string, unknown>;

function envelope(data: RealtimePayload): RealtimePayload {
  return { ...data, at: Date.now() };
}

export function emitToOrg(slug: string, event: string, data: RealtimePayload = {}): void {
  getEmitter().to(orgRoom(slug)).emit(event, envelope(data));
}

export function emitToUser(slug: string, userId: string, event: string, data: RealtimePayload = {}): void {
  getEmitter().to(userRoom(slug, userId)).emit(event, envelope(data));
}

export function emitToChannel(slug: string, channelId: string, event: string, data: RealtimePayload = {}): void {
  getEmitter().to(channelRoom(slug, channelId)).emit(event, envelope(data));
}

/** A web-chat visitor's widget (the `/widget` namespace, realtime/widget.ts). */
export function emitToVisitor(slug: string, visitorId: string, event: string, data: RealtimePayload = {}): void {
  getEmitter().of(WIDGET_NAMESPACE).to(visitorRoom(slug, visitorId)).emit(event, envelope(data));
}

/** Disconnect every socket of an organisation (suspension) or of one user (revocation), cluster-wide. */
export function disconnectOrg(slug: string): void {
  getEmitter().in(orgRoom(slug)).disconnectSockets(true);
}

export function disconnectUser(slug: string, userId: string): void {
  getEmitter().in(userRoom(slug, userId)).disconnectSockets(true);
}

export async function closeEmitter(): Promise<void> {
  const c = client;
  client = undefined;
  emitter = undefined;
  // Publishes of this turn are still in the auto-pipeline (flushed on nextTick): let them leave
  // before QUIT, or they fail with "Connection is closed" as unhandled rejections.
  await new Promise((resolve) => setImmediate(resolve));
  if (c) await c.quit().catch(() => c.disconnect());
}
