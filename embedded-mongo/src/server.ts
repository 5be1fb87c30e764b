/**
 * The TCP server: accepts connections, owns the shared state, runs the housekeeping timers
 * (cursor/session expiry, TTL deletion, journal compaction) and stops cleanly.
 */
import net from 'node:net';
import { ObjectId } from 'bson';
import type { EmbeddedMongo, IndexSetFactory, Journal, StartOptions } from './contracts.js';
import type { ServerState } from './commands/context.js';
import { Catalog } from './engine/catalog.js';
import { Cursors } from './engine/cursors.js';
import { Sessions } from './engine/sessions.js';
import { runTtlPass } from './engine/ttl.js';
import { maybeCompact, replayJournal, compactNow } from './engine/durability.js';
import { Connection } from './wire/connection.js';

export interface ServerOptions extends StartOptions {
  indexFactory: IndexSetFactory;
  journal?: Journal;
  /** How often expired TTL documents are removed (default 1000 ms). */
  ttlIntervalMs?: number;
}

export async function startServer(opts: ServerOptions): Promise<EmbeddedMongo> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const catalog = new Catalog(opts.indexFactory);
  const topologyWaiters = new Set<() => void>();
  const state: ServerState = {
    catalog,
    cursors: new Cursors(),
    sessions: new Sessions(),
    journal: opts.journal,
    host,
    port: 0,
    replSetName: opts.replSetName ?? 'rs0',
    processId: new ObjectId(),
    electionId: new ObjectId('7fffffff0000000000000001'),
    startedAt: new Date(),
    topologyCounter: 0,
    connections: 0,
    log,
    stopping: false,
    counters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    wakeHellos() {
      const ws = [...topologyWaiters];
      topologyWaiters.clear();
      for (const w of ws) w();
    },
    onTopologyChange(fn) {
      topologyWaiters.add(fn);
      return () => topologyWaiters.delete(fn);
    },
  };
  if (opts.journal) await replayJournal(state, opts.journal);

  const connections = new Set<Connection>();
  const sockets = new Set<net.Socket>();
  let nextConnId = 1;
  const server = net.createServer((socket) => {
    if (state.stopping) return void socket.destroy();
    const conn = new Connection(socket, state, nextConnId++);
    connections.add(conn);
    sockets.add(socket);
    state.connections++;
    socket.on('close', () => { connections.delete(conn); sockets.delete(socket); state.connections--; });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  state.port = (server.address() as net.AddressInfo).port;

  let ttlRunning = false;
  const ttlTimer = setInterval(() => {
    if (ttlRunning || state.stopping) return;
    ttlRunning = true;
    runTtlPass(state).catch((e) => log(`TTL pass failed: ${(e as Error).message}`)).finally(() => { ttlRunning = false; });
  }, opts.ttlIntervalMs ?? 1000);
  const houseTimer = setInterval(() => {
    const now = Date.now();
    state.cursors.sweep(now);
    state.sessions.sweep(now);
    void maybeCompact(state).catch((e) => log(`compaction failed: ${(e as Error).message}`));
  }, 5000);
  ttlTimer.unref();
  houseTimer.unref();

  const uri = `mongodb://${host}:${state.port}/?replicaSet=${state.replSetName}`;
  log(`embedded-mongo listening on ${uri}`);
  let stopped: Promise<void> | null = null;
  return {
    uri,
    port: state.port,
    stop() {
      stopped ??= (async () => {
        state.stopping = true;
        clearInterval(ttlTimer);
        clearInterval(houseTimer);
        state.topologyCounter++;
        state.wakeHellos();
        state.cursors.closeAll();
        state.sessions.endAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Give woken monitors a moment to receive their reply, then drop every connection.
        await new Promise((r) => setTimeout(r, 10));
        for (const s of sockets) s.destroy();
        await closed;
        if (opts.journal) {
          await compactNow(state).catch((e) => log(`final compaction failed: ${(e as Error).message}`));
          await opts.journal.close();
        }
      })();
      return stopped;
    },
  };
}
