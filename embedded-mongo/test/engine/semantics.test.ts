/**
 * What the engine adds on top of mingo: BSON types and order, upsert seeding, nModified,
 * _id immutability, distinct over arrays, explain, cursors, TTL, unknown-operator errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, ObjectId, type Db } from 'mongodb';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let db: Db;
beforeAll(async () => { h = await startHarness({ ttlIntervalMs: 100 }); db = h.client.db('sem'); });
afterAll(async () => h.close());

describe('values and order', () => {
  it('keeps Int32/Double/Long/Decimal128 through insert, update and find', async () => {
    const c = db.collection<any>('types');
    await c.insertOne({ _id: 1, i: new Int32(1), d: new Double(2), l: Long.fromString('9007199254740993'), m: Decimal128.fromString('0.1') });
    await c.updateOne({ _id: 1 }, { $inc: { l: Long.fromNumber(1), m: Decimal128.fromString('0.2') }, $set: { x: 1 } });
    const raw = await c.findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false } as never);
    expect(raw!.i).toBeInstanceOf(Int32);
    expect(raw!.d).toBeInstanceOf(Double);
    expect(raw!.l.toString()).toBe('9007199254740994');
    expect(raw!.m.toString()).toBe('0.3');
    expect(await c.countDocuments({ l: { $gt: Long.fromString('9007199254740993') } })).toBe(1);
    expect(await c.countDocuments({ d: 2, i: 1.0 })).toBe(1);
  });

  it('sorts across types in BSON order (null < numbers < strings < objects < ObjectId < bool < date)', async () => {
    const c = db.collection<any>('order');
    const oid = new ObjectId();
    const date = new Date(0);
    await c.insertMany([{ _id: 1, v: 'a' }, { _id: 2, v: 2 }, { _id: 3, v: null }, { _id: 4, v: true }, { _id: 5, v: oid }, { _id: 6, v: date }, { _id: 7, v: { a: 1 } }, { _id: 8, v: Long.fromNumber(1) }]);
    const ids = (await c.find().sort({ v: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([3, 8, 2, 1, 7, 5, 4, 6]);
  });
});

describe('updates', () => {
  it('seeds upserts from equality fields and applies $setOnInsert only on insert', async () => {
    const c = db.collection<any>('ups');
    const r = await c.updateOne({ k: 'a', 'n.x': 1, y: { $gt: 5 } }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    const doc = await c.findOne({ _id: r.upsertedId! });
    expect(doc).toMatchObject({ k: 'a', n: { x: 1 }, v: 1, created: true });
    expect(doc).not.toHaveProperty('y');
    await c.updateOne({ k: 'a' }, { $set: { v: 2 }, $setOnInsert: { created: 'again' } }, { upsert: true });
    expect((await c.findOne({ k: 'a' }))!.created).toBe(true);
  });

  it('counts a no-op update as matched but not modified', async () => {
    const c = db.collection<any>('noop');
    await c.insertOne({ _id: 1, a: 1 });
    const r = await c.updateOne({ _id: 1 }, { $set: { a: 1 } });
    expect([r.matchedCount, r.modifiedCount]).toEqual([1, 0]);
  });

  it('refuses to change _id (66) in operator and replacement updates', async () => {
    const c = db.collection<any>('idimm');
    await c.insertOne({ _id: 1, a: 1 });
    expect((await c.updateOne({ _id: 1 }, { $set: { _id: 2 } }).catch((e) => e)).code).toBe(66);
    expect((await c.replaceOne({ _id: 1 }, { _id: 3, a: 2 }).catch((e) => e)).code).toBe(66);
    expect(await c.findOne({})).toEqual({ _id: 1, a: 1 });
  });

  it('reports unknown update operators and query operators with their names', async () => {
    const c = db.collection<any>('errs');
    const e1 = await c.updateOne({}, { $frob: { a: 1 } } as never).catch((e) => e);
    expect(e1.code).toBe(9);
    expect(e1.message).toContain('$frob');
    const e2 = await c.find({ a: { $frob: 1 } }).toArray().catch((e) => e);
    expect(e2.code).toBe(2);
    expect(e2.message).toContain('$frob');
  });
});

describe('reads', () => {
  it('distinct flattens arrays and merges equal numbers of different types', async () => {
    const c = db.collection<any>('dist');
    await c.insertMany([{ t: [1, 2] }, { t: 2 }, { t: new Double(1) }, { t: ['x'] }, {}]);
    const vals = await c.distinct('t');
    expect(vals.map(String).sort()).toEqual(['1', '2', 'x']);
  });

  it('cursors span batches; getMore and killCursors behave', async () => {
    const c = db.collection<any>('many');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i })));
    const first = await db.command({ find: 'many', batchSize: 100 });
    expect(first.cursor.firstBatch).toHaveLength(100);
    const more = await db.command({ getMore: first.cursor.id, collection: 'many', batchSize: 100 });
    expect(more.cursor.nextBatch[0]._id).toBe(100);
    await db.command({ killCursors: 'many', cursors: [first.cursor.id] });
    const gone = await db.command({ getMore: first.cursor.id, collection: 'many' }).catch((e) => e);
    expect(gone.code).toBe(43);
    expect((await c.find().limit(120).batchSize(50).toArray()).length).toBe(120);
  });

  it('explain names the index an indexed query uses, COLLSCAN otherwise', async () => {
    const c = db.collection<any>('expl');
    await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ k: i, u: i })));
    await c.createIndex({ k: 1 });
    const ix = (await c.find({ k: 3 }).explain()) as any;
    expect(JSON.stringify(ix.queryPlanner.winningPlan)).toContain('IXSCAN');
    expect(JSON.stringify(ix.queryPlanner.winningPlan)).toContain('k_1');
    const scan = (await c.find({ u: 3 }).explain()) as any;
    expect(scan.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(scan.executionStats.totalDocsExamined).toBe(20);
  });
});

describe('TTL', () => {
  it('removes expired documents through the normal (observable) delete path', async () => {
    const c = db.collection<any>('ttl');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
    await c.insertMany([{ _id: 1, at: new Date(Date.now() - 1000) }, { _id: 2, at: new Date(Date.now() + 60_000) }, { _id: 3 }]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await c.countDocuments()) > 2) await new Promise((r) => setTimeout(r, 50));
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3]);
  });
});

describe('aggregation', () => {
  it('a leading $group reads the fields it references (nested paths too) and $$ROOT sees whole documents', async () => {
    const c = db.collection<any>('grp');
    await c.insertMany([{ _id: 1, k: 'a', v: { n: 2 }, other: 'x' }, { _id: 2, k: 'a', v: { n: 3 }, other: 'y' }, { _id: 3, k: 'b', v: { n: 5 } }]);
    const sums = await c.aggregate([{ $group: { _id: '$k', s: { $sum: '$v.n' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(sums).toEqual([{ _id: 'a', s: 5 }, { _id: 'b', s: 5 }]);
    const roots = await c.aggregate([{ $group: { _id: '$k', docs: { $push: '$$ROOT' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(roots[0]!.docs).toEqual([{ _id: 1, k: 'a', v: { n: 2 }, other: 'x' }, { _id: 2, k: 'a', v: { n: 3 }, other: 'y' }]);
  });
});
