/**
 * Query processing must never alias stored documents: pipelines that $unwind arrays and $set /
 * $addFields nested paths, and find projections, must leave the stored data exactly as inserted.
 * (A library doing this in memory can mutate its inputs; this proves the server copies.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collection, type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let c: Collection<any>;

const DOCS = [
  { _id: 1, name: 'a', items: [{ sku: 'x', qty: 1, dims: { w: 1 } }, { sku: 'y', qty: 2, dims: { w: 2 } }], meta: { tags: ['t1'], level: { n: 1 } } },
  { _id: 2, name: 'b', items: [{ sku: 'z', qty: 3, dims: { w: 3 } }], meta: { tags: [], level: { n: 2 } } },
  { _id: 3, name: 'c', items: [], meta: { level: { n: 3 } } },
];
// structuredClone keeps an untouched copy to compare with.
const ORIGINAL = structuredClone(DOCS);

beforeAll(async () => {
  ctx = await openDb('compat_agg_no_aliasing');
  db = ctx.db;
  c = db.collection('docs');
  await c.insertMany(structuredClone(DOCS));
}, 30_000);
afterAll(async () => ctx?.close());

async function storedIsOriginal() {
  expect(await c.find().sort({ _id: 1 }).toArray()).toEqual(ORIGINAL);
}

describe('stored documents are unchanged by query processing', { timeout: 20_000 }, () => {
  it('after $unwind + $set on nested paths', async () => {
    const out = await c
      .aggregate([
        { $unwind: '$items' },
        { $set: { 'items.qty': 0, 'items.dims.w': 99, 'meta.level.n': -1, 'meta.touched': true } },
        { $addFields: { 'items.extra': 'e' } },
      ])
      .toArray();
    expect(out).toHaveLength(3);
    expect(out.every((d) => d.items.qty === 0 && d.items.dims.w === 99 && d.meta.level.n === -1)).toBe(true);
    await storedIsOriginal();
  });

  it('after $unwind of a nested array then $group/$push of the unwound elements', async () => {
    await c
      .aggregate([
        { $unwind: '$meta.tags' },
        { $set: { 'meta.tags': 'changed' } },
        { $group: { _id: null, all: { $push: '$$ROOT' } } },
      ])
      .toArray();
    await storedIsOriginal();
  });

  it('after $project / $unset / $replaceRoot of embedded documents', async () => {
    await c.aggregate([{ $unset: 'meta.level' }, { $project: { items: 0 } }]).toArray();
    await c.aggregate([{ $replaceRoot: { newRoot: '$meta' } }, { $set: { 'level.n': 100 } }]).toArray();
    await storedIsOriginal();
  });

  it('after $lookup into the same collection and modifications of the joined copies', async () => {
    await c
      .aggregate([
        { $lookup: { from: 'docs', localField: '_id', foreignField: '_id', as: 'self' } },
        { $unwind: '$self' },
        { $set: { 'self.meta.level.n': 0, 'self.items': [] } },
      ])
      .toArray();
    await storedIsOriginal();
  });

  it('after finds with $slice and positional projections', async () => {
    await c.find({}, { projection: { 'items.sku': 1, 'meta.tags': { $slice: 1 } } }).toArray();
    await c.find({ 'items.sku': 'x' }, { projection: { 'items.$': 1 } }).toArray();
    await storedIsOriginal();
  });

  it('documents returned to the client are copies: repeated reads are identical', async () => {
    const first = await c.aggregate([{ $unwind: '$items' }, { $set: { 'items.qty': 42 } }]).toArray();
    const second = await c.aggregate([{ $unwind: '$items' }]).toArray();
    expect(first.map((d) => d.items.qty)).toEqual([42, 42, 42]);
    expect(second.map((d) => d.items.qty)).toEqual([1, 2, 3]);
    await storedIsOriginal();
  });
});
