/**
 * Index management and index kinds: createIndex/listIndexes/dropIndex, multikey, explain
 * (IXSCAN with the index name vs COLLSCAN) and hint.
 * Unique variants are in unique-indexes.test.ts, TTL in ttl.test.ts, collation in collation.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_indexes');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

/** Every plan stage in an explain document, wherever the server nests it (classic or SBE layout). */
function stages(node: unknown, out: any[] = []): any[] {
  if (Array.isArray(node)) node.forEach((n) => stages(n, out));
  else if (node && typeof node === 'object') {
    const o = node as any;
    if (typeof o.stage === 'string') out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== 'rejectedPlans') stages(v, out);
  }
  return out;
}
function winning(explain: any): any[] {
  return stages(explain.queryPlanner?.winningPlan ?? explain);
}
/** IXSCAN over the named index (MongoDB 8 may call its fast path EXPRESS_IXSCAN). */
const ixscan = (plan: any[], name: string) => plan.some((s) => /IXSCAN$/.test(s.stage) && s.indexName === name);

describe('index management', { timeout: 20_000 }, () => {
  it('createIndex returns the generated name; listIndexes shows _id_ and the new indexes', async () => {
    const c = db.collection('mgmt');
    await c.insertOne({ a: 1, b: 'x' });
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect(await c.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await c.createIndex({ b: 1 }, { name: 'by_b', unique: true })).toBe('by_b');
    const list = await c.listIndexes().toArray();
    const byName = Object.fromEntries(list.map((i) => [i.name, i]));
    expect(Object.keys(byName).sort()).toEqual(['_id_', 'a_1', 'a_1_b_-1', 'by_b']);
    expect(byName['_id_'].key).toEqual({ _id: 1 });
    expect(byName['a_1_b_-1'].key).toEqual({ a: 1, b: -1 });
    expect(byName['by_b'].unique).toBe(true);
    expect(byName['a_1'].unique).toBeUndefined();
    expect(byName['a_1'].v).toBe(2);
    expect((await c.indexes()).length).toBe(4);
    expect(await c.indexExists('a_1')).toBe(true);
  });

  it('creating the same index again is a no-op; the same name with other keys is an error', async () => {
    const c = db.collection('mgmt_again');
    await c.createIndex({ a: 1 });
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    const err = await rejectionOf(c.createIndex({ b: 1 }, { name: 'a_1' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect([85, 86]).toContain(err.code);
    // Same keys, different options: IndexOptionsConflict (85).
    const err2 = await rejectionOf(c.createIndex({ a: 1 }, { unique: true }));
    expect([85, 86]).toContain(err2.code);
  });

  it('createIndexes with several specs, then dropIndex by name and by key, and dropIndexes', async () => {
    const c = db.collection('mgmt_drop');
    const names = await c.createIndexes([{ key: { x: 1 } }, { key: { y: -1 }, name: 'y_desc' }, { key: { z: 1 } }]);
    expect(names).toEqual(['x_1', 'y_desc', 'z_1']);
    await c.dropIndex('y_desc');
    await c.dropIndex({ x: 1 } as any);
    expect((await c.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'z_1']);
    const err = await rejectionOf(c.dropIndex('nope'));
    expect(err.code).toBe(27);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('createIndex on a missing collection creates the collection', async () => {
    await db.collection('made_by_index').createIndex({ k: 1 });
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain('made_by_index');
  });

  it('the _id index cannot be dropped', async () => {
    const c = db.collection('mgmt_id');
    await c.insertOne({});
    const err = await rejectionOf(c.dropIndex('_id_'));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(72);
  });

  it('listIndexes on a missing collection fails with NamespaceNotFound (26)', async () => {
    const err = await rejectionOf(db.collection('never_created').listIndexes().toArray());
    expect(err.code).toBe(26);
  });

  it('indexes are dropped with their collection', async () => {
    const c = db.collection('mgmt_dropcoll');
    await c.createIndex({ q: 1 });
    await c.drop();
    await c.insertOne({ q: 1 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('queries through indexes stay correct', { timeout: 30_000 }, () => {
  let c: Collection<any>;
  beforeAll(async () => {
    c = db.collection('planned');
    await c.insertMany(
      Array.from({ length: 300 }, (_, i) => ({ _id: i, a: i % 30, b: i % 7, s: `k${String(i).padStart(3, '0')}`, tags: [`t${i % 5}`, `u${i % 3}`] })),
    );
    await c.createIndex({ a: 1 });
    await c.createIndex({ a: 1, b: 1 });
    await c.createIndex({ s: -1 });
    await c.createIndex({ tags: 1 });
  });

  it('equality, $in, ranges and compound prefixes return exactly the matching documents', async () => {
    expect(await c.countDocuments({ a: 3 })).toBe(10);
    expect(await c.countDocuments({ a: { $in: [1, 2, 40] } })).toBe(20);
    expect(await c.countDocuments({ a: { $gte: 10, $lt: 12 } })).toBe(20);
    expect(await c.countDocuments({ a: 3, b: 3 })).toBe((await c.find().toArray()).filter((d) => d.a === 3 && d.b === 3).length);
    expect(await c.countDocuments({ a: 3, b: { $gt: 2 } })).toBe((await c.find().toArray()).filter((d) => d.a === 3 && d.b > 2).length);
  });

  it('sort through a descending index with a range and limit', async () => {
    const r = await c.find({ s: { $lt: 'k100' } }).sort({ s: -1 }).limit(3).toArray();
    expect(r.map((d) => d.s)).toEqual(['k099', 'k098', 'k097']);
    const asc = await c.find({ s: { $gt: 'k295' } }).sort({ s: 1 }).toArray();
    expect(asc.map((d) => d.s)).toEqual(['k296', 'k297', 'k298', 'k299']);
  });

  it('multikey index: matching any element, no duplicate results', async () => {
    const r = await c.find({ tags: { $in: ['t1', 'u1'] } }).toArray();
    expect(new Set(r.map((d) => d._id)).size).toBe(r.length);
    expect(r.length).toBe(Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 5 === 1 || i % 3 === 1).length);
  });

  it('an index follows updates and deletes', async () => {
    await c.updateOne({ _id: 0 }, { $set: { a: 1000 } });
    expect(await c.countDocuments({ a: 1000 })).toBe(1);
    expect(await c.countDocuments({ a: 0 })).toBe(9);
    await c.deleteOne({ _id: 0 });
    expect(await c.countDocuments({ a: 1000 })).toBe(0);
  });

  it('explain shows IXSCAN with the index name for an indexed query, COLLSCAN otherwise', async () => {
    const ix = winning(await c.find({ s: 'k005' }).explain());
    expect(ixscan(ix, 's_-1')).toBe(true);
    const scan = winning(await c.find({ unindexed: 5 }).explain());
    expect(scan.some((s) => s.stage === 'COLLSCAN')).toBe(true);
    expect(scan.some((s) => /IXSCAN/.test(s.stage))).toBe(false);
    const multikey = winning(await c.find({ tags: 't2' }).explain());
    expect(ixscan(multikey, 'tags_1')).toBe(true);
  });

  it('hint forces an index (by name or key pattern); an unknown hint is an error', async () => {
    const byName = winning(await c.find({ b: 2 }).hint('a_1').explain());
    expect(ixscan(byName, 'a_1')).toBe(true);
    const byKey = winning(await c.find({ a: 2 }).hint({ a: 1, b: 1 }).explain());
    expect(ixscan(byKey, 'a_1_b_1')).toBe(true);
    // A hinted query still returns the right documents.
    expect(await c.find({ b: 2 }).hint('a_1').toArray()).toHaveLength((await c.find({ b: 2 }).toArray()).length);
    const natural = winning(await c.find({ a: 2 }).hint({ $natural: 1 }).explain());
    expect(natural.some((s) => s.stage === 'COLLSCAN')).toBe(true);
    const err = await rejectionOf(c.find({ a: 1 }).hint('no_such_index').toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.message).toMatch(/hint/i);
  });
});
