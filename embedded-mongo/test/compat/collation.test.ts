/**
 * Collation: case- and accent-insensitive equality (strength 1 and 2) on find, count, and unique
 * indexes; collation-aware sort; an index with a collation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collection, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let names: Collection<any>;
beforeAll(async () => {
  ctx = await openDb('compat_collation');
  db = ctx.db;
  names = db.collection('names');
  await names.insertMany([
    { _id: 1, n: 'abc' },
    { _id: 2, n: 'ABC' },
    { _id: 3, n: 'Abc' },
    { _id: 4, n: 'àbc' },
    { _id: 5, n: 'abd' },
    { _id: 6, n: 'b' },
    { _id: 7, n: 'B' },
  ]);
}, 30_000);
afterAll(async () => ctx?.close());

const ids = (docs: any[]) => docs.map((d) => d._id);

describe('collation on queries', { timeout: 20_000 }, () => {
  it('without collation, string comparison is binary', async () => {
    expect(ids(await names.find({ n: 'abc' }).toArray())).toEqual([1]);
  });

  it('strength 2 ignores case but not accents', async () => {
    const r = await names.find({ n: 'abc' }, { collation: { locale: 'en', strength: 2 } }).sort({ _id: 1 }).toArray();
    expect(ids(r)).toEqual([1, 2, 3]);
    expect(await names.countDocuments({ n: 'ABC' }, { collation: { locale: 'en', strength: 2 } })).toBe(3);
  });

  it('strength 1 ignores case and accents', async () => {
    const r = await names.find({ n: 'ABC' }, { collation: { locale: 'en', strength: 1 } }).sort({ _id: 1 }).toArray();
    expect(ids(r)).toEqual([1, 2, 3, 4]);
    expect(ids(await names.find({ n: { $in: ['ÀBC', 'x'] } }, { collation: { locale: 'en', strength: 1 } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 4]);
  });

  it('collation applies to updates and deletes too', async () => {
    const c = db.collection<any>('coll_writes');
    await c.insertMany([{ _id: 1, n: 'Foo' }, { _id: 2, n: 'FOO' }, { _id: 3, n: 'bar' }]);
    const u = await c.updateMany({ n: 'foo' }, { $set: { hit: true } }, { collation: { locale: 'en', strength: 2 } });
    expect(u.matchedCount).toBe(2);
    const d = await c.deleteMany({ n: 'foo' }, { collation: { locale: 'en', strength: 2 } });
    expect(d.deletedCount).toBe(2);
  });

  it('sort with a collation orders case-insensitively (a < B), binary sort puts uppercase first', async () => {
    const binary = await names.find({ _id: { $in: [1, 6, 7] } }).sort({ n: 1 }).toArray();
    expect(binary.map((d) => d.n)).toEqual(['B', 'abc', 'b']);
    const collated = await names
      .find({ _id: { $in: [1, 5, 6] } })
      .sort({ n: 1 })
      .collation({ locale: 'en' })
      .toArray();
    expect(collated.map((d) => d.n)).toEqual(['abc', 'abd', 'b']);
    const mixed = await names.find({ _id: { $in: [1, 7] } }).sort({ n: 1 }).collation({ locale: 'en' }).toArray();
    expect(mixed.map((d) => d.n)).toEqual(['abc', 'B']);
  });

  it('numericOrdering sorts digit strings as numbers', async () => {
    const c = db.collection<any>('numeric_strings');
    await c.insertMany([{ v: '10' }, { v: '9' }, { v: '100' }]);
    const r = await c.find().sort({ v: 1 }).collation({ locale: 'en', numericOrdering: true }).toArray();
    expect(r.map((d) => d.v)).toEqual(['9', '10', '100']);
  });
});

describe('collation on unique indexes', { timeout: 20_000 }, () => {
  it("a strength 2 unique index treats 'ABC' and 'abc' as duplicates", async () => {
    const c = db.collection<any>('ci_unique');
    await c.createIndex({ email: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    await c.insertOne({ email: 'ABC@x.io' });
    const err = await rejectionOf(c.insertOne({ email: 'abc@X.IO' }));
    expect(err.code).toBe(11000);
    await c.insertOne({ email: 'àbc@x.io' }); // accents still differ at strength 2
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'email_1');
    expect(spec!.collation).toMatchObject({ locale: 'en', strength: 2 });
  });

  it('a strength 1 unique index treats accents as equal too', async () => {
    const c = db.collection<any>('ci_unique_1');
    await c.createIndex({ name: 1 }, { unique: true, collation: { locale: 'en', strength: 1 } });
    await c.insertOne({ name: 'resume' });
    expect((await rejectionOf(c.insertOne({ name: 'RÉSUMÉ' }))).code).toBe(11000);
  });

  it('a collection default collation applies to queries without their own', async () => {
    await db.createCollection('ci_default', { collation: { locale: 'en', strength: 2 } });
    const c = db.collection<any>('ci_default');
    await c.insertMany([{ n: 'x' }, { n: 'X' }]);
    expect(await c.countDocuments({ n: 'x' })).toBe(2);
    // An explicit simple collation restores binary comparison.
    expect(await c.countDocuments({ n: 'x' }, { collation: { locale: 'simple' } })).toBe(1);
  });
});
