import { MongoClient } from 'mongodb';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeQueues, enqueue } from '@/server/queues';
import { notifyJob } from '@/server/queues/jobs/system';
import { mintRealtimeToken } from '@/server/realtime/token';
import { closeRedis } from '@/server/redis';

/**
 * The production processes together: a job sent to the worker makes it emit; the realtime server
 * delivers to the demo organisation's room and not to another organisation's sockets.
 */
const sockets: Socket[] = [];
const other = `e2eother${Date.now().toString(36)}`;

async function open(slug: string, userId: string): Promise<Socket> {
  const socket = connect(`http://127.0.0.1:${inject('e2e').realtimePort}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: await mintRealtimeToken({ userId, slug }) },
    extraHeaders: { origin: `http://${slug}.localhost:${inject('e2e').webPort}` },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

beforeAll(async () => {
  const client = await MongoClient.connect(process.env.MONGO_URI!);
  try {
    await client.db(process.env.PLATFORM_DB_NAME ?? 'platform_db').collection('organizations').insertOne({
      slug: other,
      name: 'Other org',
      status: 'active',
      dbName: `org_${other}_db`,
      branding: { appName: 'Other', colors: {} },
      plan: { tier: 'free', maxUsers: 5, maxStorageMB: 100 },
      configVersion: 1,
    });
  } finally {
    await client.close();
  }
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await closeQueues();
  await closeRedis();
});

describe('realtime through web, worker and realtime processes', () => {
  it('delivers a worker event to the demo organisation only', async () => {
    const mine = await open('demo', 'e2e-user');
    const theirs = await open(other, 'e2e-user');
    const got: unknown[] = [];
    const leaked: unknown[] = [];
    mine.on('e2e.ping', (d) => got.push(d));
    theirs.on('e2e.ping', (d) => leaked.push(d));
    await enqueue(notifyJob, { slug: 'demo', event: 'e2e.ping', data: { hello: 'demo' } });
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(1);
    expect(got[0]).toMatchObject({ hello: 'demo' });
    await new Promise((r) => setTimeout(r, 500));
    expect(leaked).toEqual([]);
  });
});
