import { createServer, type Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type Socket } from 'socket.io';
import { getEnv } from '@/server/env';
import { AppError, isAppError } from '@/server/errors';
import { createRedis } from '@/server/redis';
import { orgRoom, socketIoKey, userRoom } from '@/server/realtime/rooms';
import { orgBySlug, originAllowedFor } from '@/server/realtime/origin';
import { assertSocketSessionValid, watchSessionRevocations } from '@/server/realtime/revocation';
import { verifyRealtimeToken, type RealtimeIdentity } from '@/server/realtime/token';
import { registerPresence } from './presence';
import { registerWidgetNamespace } from './widget';

/**
 * The Socket.IO server: authenticates the handshake, checks the Origin against the organisation,
 * joins the socket to its organisation and user rooms. Business events reach it only through the
 * Redis adapter (published by the web app and the worker with the emitter).
 */
export interface SocketData {
  identity: RealtimeIdentity;
}

export interface RealtimeServer {
  io: Server;
  http: HttpServer;
  port: number;
  close: () => Promise<void>;
}

async function authenticate(socket: Socket): Promise<RealtimeIdentity> {
  // Only handshake.auth: tokens in the query string would end up in access logs.
  const identity = await verifyRealtimeToken((socket.handshake.auth as { token?: unknown } | undefined)?.token);
  if (!(await originAllowedFor(socket.handshake.headers.origin, identity.slug))) {
    throw new AppError('FORBIDDEN', 'Origin not allowed');
  }
  const org = await orgBySlug(identity.slug);
  if (!org || org.status !== 'active') throw new AppError('FORBIDDEN', 'Workspace unavailable');
  await assertSocketSessionValid(identity);
  return identity;
}

export async function startRealtimeServer(port = getEnv().REALTIME_PORT): Promise<RealtimeServer> {
  const env = getEnv();
  const pub = createRedis({ maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);

  const http = createServer((req, res) => {
    if (req.url === '/health') {
      const body = JSON.stringify({ status: pub.status === 'ready' ? 'ok' : 'fail', redis: pub.status, sockets: io.engine.clientsCount });
      res.writeHead(pub.status === 'ready' ? 200 : 503, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(404).end();
  });

  const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>(http, {
    adapter: createAdapter(pub, sub, { key: socketIoKey(env.REDIS_PREFIX) }),
    // The Origin check happens per organisation in the handshake; CORS only lets browsers try.
    cors: { origin: true, credentials: false },
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });

  io.use((socket, next) => {
    authenticate(socket)
      .then((identity) => {
        socket.data.identity = identity;
        next();
      })
      .catch((err: unknown) => {
        if (isAppError(err)) return next(new Error(err.message));
        // Internals stay in the log; the client only learns that the handshake failed.
        console.error('[realtime] handshake error:', err);
        next(new Error('Handshake failed'));
      });
  });

  const stopRevocations = watchSessionRevocations(io); // suspended users lose their sockets at once

  io.on('connection', (socket) => {
    const { slug, userId } = socket.data.identity;
    void socket.join([orgRoom(slug), userRoom(slug, userId)]);
    registerPresence(socket as unknown as Socket, slug, userId);
    // Channel rooms (`${slug}:channel:${id}`) are joined by the team-chat handlers after a membership
    // check; presence and typing handlers register here too (later issues).
  });

  registerWidgetNamespace(io); // web-chat visitors: their own namespace and token

  await new Promise<void>((resolve) => http.listen(port, resolve));
  const address = http.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;

  return {
    io,
    http,
    port: actualPort,
    async close() {
      stopRevocations();
      // Clients reconnect to another instance and re-sync by cursor.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}
