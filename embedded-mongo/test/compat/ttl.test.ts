/**
 * TTL indexes: a monitor removes documents whose indexed date is older than expireAfterSeconds.
 * Real MongoDB's TTL monitor runs every 60 s, ours about every second, so the wait is configurable:
 *   COMPAT_TTL_TIMEOUT_MS  how long to poll (default 15 s; 90 s when MONGO_URI is set)
 *   COMPAT_SKIP_TTL_WAIT=1 skip only the expiry wait, and only when MONGO_URI is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db } from 'mongodb';
import { eventually, openDb, usingRealMongo, type Ctx } from './server.js';

const TIMEOUT = Number(process.env.COMPAT_TTL_TIMEOUT_MS ?? (usingRealMongo ? 90_000 : 15_000));
const skipWait = usingRealMongo && process.env.COMPAT_SKIP_TTL_WAIT === '1';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_ttl');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

describe('TTL index', () => {
  it('is listed with expireAfterSeconds', async () => {
    const c = db.collection<any>('ttl_spec');
    await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'createdAt_1');
    expect(spec!.expireAfterSeconds).toBe(1);
  });

  it.skipIf(skipWait)(
    'removes expired documents; keeps future dates, non-dates and missing fields; array uses the earliest date',
    async () => {
      const c = db.collection<any>('ttl_expiry');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
      const now = Date.now();
      await c.insertMany([
        { _id: 'old', at: new Date(now - 60_000) },
        { _id: 'soon', at: new Date(now) },
        { _id: 'future', at: new Date(now + 3_600_000) },
        { _id: 'string', at: 'not a date' },
        { _id: 'missing' },
        { _id: 'array', at: [new Date(now + 3_600_000), new Date(now - 60_000)] },
      ]);
      const gone = await eventually(async () => (await c.countDocuments({ _id: { $in: ['old', 'soon', 'array'] } })) === 0, TIMEOUT, 250);
      expect(gone).toBe(true);
      const left = (await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(left).toEqual(['future', 'missing', 'string']);
    },
    TIMEOUT + 10_000,
  );

  it.skipIf(skipWait)(
    'collMod can change expireAfterSeconds of an existing TTL index',
    async () => {
      const c = db.collection<any>('ttl_collmod');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      await c.insertOne({ _id: 1, at: new Date(Date.now() - 10_000) });
      await db.command({ collMod: 'ttl_collmod', index: { keyPattern: { at: 1 }, expireAfterSeconds: 1 } });
      const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'at_1');
      expect(spec!.expireAfterSeconds).toBe(1);
      expect(await eventually(async () => (await c.countDocuments()) === 0, TIMEOUT, 250)).toBe(true);
    },
    TIMEOUT + 10_000,
  );
});
