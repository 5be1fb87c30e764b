import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Proc } from '../../scripts/lib/procs';
import { closeQueues, enqueue } from '@/server/queues';
import { notifyJob } from '@/server/queues/jobs/system';
import { mintRealtimeToken } from '@/server/realtime/token';
import { publishOrgConfigUpdated } from '@/server/tenancy/config-events';
import { platformModels } from '@/server/db/models/platform';
import { disconnectMongo } from '@/server/db/mongo';
import { closeRedis } from '@/server/redis';
import { createTestOrg } from '../helpers/orgs';
import { freePort } from '../helpers/ports';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually, startRealtime, startWorker } from '../helpers/processes';

/**
 * The realtime path across real processes: the test enqueues a job (as the web app does), the
 * worker process runs it and emits through Redis, the realtime process delivers it to the sockets
 * in that organisation's room, and to nobody else's.
 */
let realtime: Proc;
let worker: Proc;
let url: string;
let orgA: string;
let orgB: string;
const sockets: Socket[] = [];

async function socketFor(slug: string, userId: string, opts: { origin?: string; token?: string; query?: boolean } = {}) {
  const token = opts.token ?? (await mintRealtimeToken({ userId, slug }));
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    ...(opts.query ? { query: { token } } : { auth: { token } }),
    extraHeaders: { origin: opts.origin ?? `http://${slug}.localhost:3000` },
  });
  sockets.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

function refused(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected but should have been refused')));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

beforeAll(async () => {
  isolateRedisPrefix('rt');
  [orgA, orgB] = await Promise.all([createTestOrg(), createTestOrg()]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  worker = startWorker();
  realtime = await startRealtime(port);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all([realtime?.stop(), worker?.stop()]);
  await closeQueues();
  await closeRedis();
  await disconnectMongo();
});

describe('realtime across processes', () => {
  it('delivers a worker-emitted event to its organisation room and not to another organisation', async () => {
    const a1 = await socketFor(orgA, 'u1');
    const a2 = await socketFor(orgA, 'u2');
    // Same user id in another organisation: ids collide across tenant databases, rooms must not.
    const b1 = await socketFor(orgB, 'u1');
    await Promise.all([connected(a1), connected(a2), connected(b1)]);

    const got = { a1: [] as unknown[], a2: [] as unknown[], b1: [] as unknown[] };
    a1.on('demo.event', (d) => got.a1.push(d));
    a2.on('demo.event', (d) => got.a2.push(d));
    b1.on('demo.event', (d) => got.b1.push(d));

    await enqueue(notifyJob, { slug: orgA, event: 'demo.event', data: { n: 1 } });
    await eventually(() => got.a1.length === 1 && got.a2.length === 1, 'org A sockets to receive the event', 20_000);
    expect(got.a1[0]).toMatchObject({ n: 1, at: expect.any(Number) });

    // A user-addressed event reaches that user only, in that organisation only.
    await enqueue(notifyJob, { slug: orgA, userId: 'u1', event: 'demo.event', data: { n: 2 } });
    await eventually(() => got.a1.length === 2, 'user room delivery');
    // Give a wrongly routed packet time to arrive before asserting it did not.
    await new Promise((r) => setTimeout(r, 500));
    expect(got.a2).toHaveLength(1);
    expect(got.b1).toHaveLength(0);
  });

  it('refuses a handshake without a valid token, with the token only in the query string, or from a foreign origin', async () => {
    expect(await refused(await socketFor(orgA, 'u1', { token: 'not-a-token' }))).toMatch(/Realtime token invalid/);
    expect(await refused(await socketFor(orgA, 'u1', { query: true }))).toMatch(/Missing realtime token/);
    // orgB's page may not open a socket with orgA's token, nor may an unrelated site.
    expect(await refused(await socketFor(orgA, 'u1', { origin: `http://${orgB}.localhost:3000` }))).toMatch(/Origin not allowed/);
    expect(await refused(await socketFor(orgA, 'u1', { origin: 'https://evil.example' }))).toMatch(/Origin not allowed/);
    const expired = await mintRealtimeToken({ userId: 'u1', slug: orgA }, -10);
    expect(await refused(await socketFor(orgA, 'u1', { token: expired }))).toMatch(/expired/);
  });

  it('disconnects the sockets of an organisation suspended in another process', async () => {
    const s = await socketFor(orgB, 'u9');
    await connected(s);
    const closed = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    await platformModels().Organization.updateOne({ slug: orgB }, { $set: { status: 'suspended' } });
    const t0 = Date.now();
    await publishOrgConfigUpdated(orgB, 'suspended');
    expect(await closed).toBe('io server disconnect');
    expect(Date.now() - t0).toBeLessThan(1000);
    // ...and it cannot come back.
    expect(await refused(await socketFor(orgB, 'u9'))).toMatch(/Workspace unavailable/);
  });
});
