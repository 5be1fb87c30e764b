/**
 * Cursors that span many batches (getMore), limit combined with batchSize, explicit close,
 * and the raw find/getMore/killCursors commands (CursorNotFound after a kill).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Long, MongoServerError, type Collection, type CommandStartedEvent, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let c: Collection<any>;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  // monitorCommands lets us prove that several getMore round trips really happened.
  ctx = await openDb('compat_cursors', { monitorCommands: true });
  db = ctx.db;
  ctx.client.on('commandStarted', (e) => started.push(e));
  c = db.collection('thousand');
  await c.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i, pad: 'x'.repeat(i % 50) })));
}, 30_000);
afterAll(async () => ctx?.close());

const getMores = () => started.filter((e) => e.commandName === 'getMore').length;

describe('cursors', { timeout: 30_000 }, () => {
  it('1,000 documents with batchSize 7 come back exactly once each, over many getMores', async () => {
    const before = getMores();
    const seen = new Set<number>();
    let count = 0;
    for await (const d of c.find({}, { batchSize: 7 })) {
      seen.add(d._id);
      count++;
    }
    expect(count).toBe(1000);
    expect(seen.size).toBe(1000);
    // 7 in the first batch, then ceil(993 / 7) = 142 getMores (one more if the server only
    // reports exhaustion on an extra empty batch).
    expect(getMores() - before).toBeGreaterThanOrEqual(142);
  });

  it('sorted multi-batch cursor keeps the sort across batches', async () => {
    const docs = await c.find({}, { batchSize: 13, projection: { _id: 1 } }).sort({ _id: -1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: 1000 }, (_, i) => 999 - i));
  });

  it('limit is honoured across batches', async () => {
    const docs = await c.find({}, { batchSize: 7 }).sort({ _id: 1 }).limit(20).toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('aggregate cursors also span batches', async () => {
    const docs = await c.aggregate([{ $match: { _id: { $gte: 500 } } }, { $project: { _id: 1 } }], { batchSize: 9 }).toArray();
    expect(new Set(docs.map((d) => d._id)).size).toBe(500);
  });

  it('a cursor closed early stops without error and without reading the rest', async () => {
    const cursor = c.find({}, { batchSize: 5 });
    const first = [];
    // Exactly two whole batches, so nothing stays buffered (`closed` also waits for the buffer).
    for (let i = 0; i < 10; i++) first.push(await cursor.next());
    expect(first.every(Boolean)).toBe(true);
    expect(String(cursor.id)).not.toBe('0');
    await cursor.close();
    expect(cursor.closed).toBe(true);
    expect(cursor.killed).toBe(true);
    // A killCursors was sent for the still-open server cursor.
    expect(started.some((e) => e.commandName === 'killCursors')).toBe(true);
  });

  it('raw find / getMore / killCursors: a killed cursor is gone (CursorNotFound, code 43)', async () => {
    const session = ctx.client.startSession();
    try {
      const first = await db.command({ find: 'thousand', filter: {}, sort: { _id: 1 }, batchSize: 3 }, { session });
      expect(first.cursor.firstBatch.map((d: any) => d._id)).toEqual([0, 1, 2]);
      expect(first.cursor.ns).toBe('compat_cursors.thousand');
      const id = first.cursor.id as Long;
      expect(Long.isLong(id) || typeof id === 'number' || typeof id === 'bigint').toBe(true);
      expect(String(id)).not.toBe('0');

      const more = await db.command({ getMore: id, collection: 'thousand', batchSize: 4 }, { session });
      expect(more.cursor.nextBatch.map((d: any) => d._id)).toEqual([3, 4, 5, 6]);
      expect(String(more.cursor.id)).toBe(String(id));

      const killed = await db.command({ killCursors: 'thousand', cursors: [id] }, { session });
      expect(killed.cursorsKilled.map(String)).toEqual([String(id)]);

      const err = await rejectionOf(db.command({ getMore: id, collection: 'thousand' }, { session }));
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(43);
    } finally {
      await session.endSession();
    }
  });

  it('a cursor that fits in the first batch is returned exhausted (id 0)', async () => {
    const r = await db.command({ find: 'thousand', filter: { _id: { $lt: 5 } }, batchSize: 10 });
    expect(r.cursor.firstBatch).toHaveLength(5);
    expect(String(r.cursor.id)).toBe('0');
  });

  it('singleBatch returns one batch and closes the cursor', async () => {
    const r = await db.command({ find: 'thousand', filter: {}, batchSize: 10, singleBatch: true });
    expect(r.cursor.firstBatch).toHaveLength(10);
    expect(String(r.cursor.id)).toBe('0');
  });
});
