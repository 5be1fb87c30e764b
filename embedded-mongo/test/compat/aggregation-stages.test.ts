/**
 * Aggregation stages: $match $project $addFields/$set $unset $group (accumulators) $sort $limit
 * $skip $unwind $count $replaceRoot $bucket. $lookup and $facet are in aggregation-lookup-facet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collection, type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let sales: Collection<any>;

const SALES = [
  { _id: 1, item: 'abc', price: 10, qty: 2, date: new Date('2024-03-01T08:00:00Z'), tags: ['red', 'big'] },
  { _id: 2, item: 'jkl', price: 20, qty: 1, date: new Date('2024-03-01T09:00:00Z'), tags: ['blue'] },
  { _id: 3, item: 'xyz', price: 5, qty: 10, date: new Date('2024-03-15T09:00:00Z'), tags: [] },
  { _id: 4, item: 'xyz', price: 5, qty: 20, date: new Date('2024-04-04T11:21:39Z') },
  { _id: 5, item: 'abc', price: 10, qty: 10, date: new Date('2024-04-04T21:23:13Z'), tags: null },
  { _id: 6, item: 'def', price: 7.5, qty: 5, date: new Date('2024-06-04T05:08:13Z'), tags: 'solo' },
];

beforeAll(async () => {
  ctx = await openDb('compat_agg_stages');
  db = ctx.db;
  sales = db.collection('sales');
  await sales.insertMany(SALES);
}, 30_000);
afterAll(async () => ctx?.close());

describe('shaping stages', { timeout: 20_000 }, () => {
  it('$match + $sort + $skip + $limit', async () => {
    const r = await sales.aggregate([{ $match: { price: { $gte: 7.5 } } }, { $sort: { qty: -1, _id: 1 } }, { $skip: 1 }, { $limit: 2 }]).toArray();
    expect(r.map((d) => d._id)).toEqual([6, 1]);
  });

  it('$project with inclusion, computed fields, and _id exclusion', async () => {
    const r = await sales
      .aggregate([{ $match: { _id: 1 } }, { $project: { _id: 0, item: 1, total: { $multiply: ['$price', '$qty'] }, month: { $month: '$date' } } }])
      .toArray();
    expect(r).toEqual([{ item: 'abc', total: 20, month: 3 }]);
  });

  it('$addFields / $set add and overwrite (nested) fields; $unset removes', async () => {
    const r = await sales
      .aggregate([
        { $match: { _id: 2 } },
        { $addFields: { total: { $multiply: ['$price', '$qty'] }, 'meta.source': 'agg' } },
        { $set: { item: { $toUpper: '$item' } } },
        { $unset: ['date', 'tags'] },
      ])
      .toArray();
    expect(r).toEqual([{ _id: 2, item: 'JKL', price: 20, qty: 1, total: 20, meta: { source: 'agg' } }]);
  });

  it('$replaceRoot promotes an embedded document', async () => {
    const r = await sales
      .aggregate([{ $match: { _id: 1 } }, { $replaceRoot: { newRoot: { id: '$_id', info: { item: '$item', qty: '$qty' } } } }, { $replaceRoot: { newRoot: '$info' } }])
      .toArray();
    expect(r).toEqual([{ item: 'abc', qty: 2 }]);
  });

  it('$count counts the documents reaching it', async () => {
    expect(await sales.aggregate([{ $match: { item: 'abc' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
    // No input documents: no output document at all.
    expect(await sales.aggregate([{ $match: { item: 'none' } }, { $count: 'n' }]).toArray()).toEqual([]);
  });
});

describe('$group', { timeout: 20_000 }, () => {
  it('groups by a field with $sum $avg $min $max $push $addToSet $first $last', async () => {
    const r = await sales
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$item',
            n: { $sum: 1 },
            qty: { $sum: '$qty' },
            revenue: { $sum: { $multiply: ['$price', '$qty'] } },
            avgQty: { $avg: '$qty' },
            minQty: { $min: '$qty' },
            maxQty: { $max: '$qty' },
            ids: { $push: '$_id' },
            prices: { $addToSet: '$price' },
            first: { $first: '$_id' },
            last: { $last: '$_id' },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 'abc', n: 2, qty: 12, revenue: 120, avgQty: 6, minQty: 2, maxQty: 10, ids: [1, 5], prices: [10], first: 1, last: 5 },
      { _id: 'def', n: 1, qty: 5, revenue: 37.5, avgQty: 5, minQty: 5, maxQty: 5, ids: [6], prices: [7.5], first: 6, last: 6 },
      { _id: 'jkl', n: 1, qty: 1, revenue: 20, avgQty: 1, minQty: 1, maxQty: 1, ids: [2], prices: [20], first: 2, last: 2 },
      { _id: 'xyz', n: 2, qty: 30, revenue: 150, avgQty: 15, minQty: 10, maxQty: 20, ids: [3, 4], prices: [5], first: 3, last: 4 },
    ]);
  });

  it('groups everything with _id null and by a compound / computed key', async () => {
    const [all] = await sales.aggregate([{ $group: { _id: null, total: { $sum: '$qty' }, avgPrice: { $avg: '$price' } } }]).toArray();
    expect(all).toEqual({ _id: null, total: 48, avgPrice: 57.5 / 6 });
    const byMonth = await sales
      .aggregate([{ $group: { _id: { y: { $year: '$date' }, m: { $month: '$date' } }, n: { $sum: 1 } } }, { $sort: { '_id.m': 1 } }])
      .toArray();
    expect(byMonth).toEqual([
      { _id: { y: 2024, m: 3 }, n: 3 },
      { _id: { y: 2024, m: 4 }, n: 2 },
      { _id: { y: 2024, m: 6 }, n: 1 },
    ]);
  });

  it('$addToSet collects distinct values; $sum ignores non-numbers; $avg of nothing is null', async () => {
    const r = await sales
      .aggregate([{ $group: { _id: null, items: { $addToSet: '$item' }, s: { $sum: '$item' }, a: { $avg: '$missing' } } }])
      .toArray();
    expect([...r[0]!.items].sort()).toEqual(['abc', 'def', 'jkl', 'xyz']);
    expect(r[0]!.s).toBe(0);
    expect(r[0]!.a).toBeNull();
  });
});

describe('$unwind', { timeout: 20_000 }, () => {
  it('emits one document per element; drops missing, null and empty arrays; a scalar counts as one', async () => {
    const r = await sales.aggregate([{ $unwind: '$tags' }, { $project: { tags: 1 } }, { $sort: { _id: 1, tags: 1 } }]).toArray();
    expect(r).toEqual([
      { _id: 1, tags: 'big' },
      { _id: 1, tags: 'red' },
      { _id: 2, tags: 'blue' },
      { _id: 6, tags: 'solo' },
    ]);
  });

  it('preserveNullAndEmptyArrays and includeArrayIndex', async () => {
    const r = await sales
      .aggregate([
        { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx' } },
        { $project: { tags: 1, idx: 1 } },
        { $sort: { _id: 1, idx: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 1, tags: 'red', idx: 0 },
      { _id: 1, tags: 'big', idx: 1 },
      { _id: 2, tags: 'blue', idx: 0 },
      // empty array and missing: the field is absent, index null; null stays null.
      { _id: 3, idx: null },
      { _id: 4, idx: null },
      { _id: 5, tags: null, idx: null },
      { _id: 6, tags: 'solo', idx: null },
    ]);
  });
});

describe('$bucket', { timeout: 20_000 }, () => {
  it('buckets by boundaries with a default bucket and custom output', async () => {
    const r = await sales
      .aggregate([
        {
          $bucket: {
            groupBy: '$qty',
            boundaries: [0, 5, 15],
            default: 'many',
            output: { count: { $sum: 1 }, ids: { $push: '$_id' } },
          },
        },
      ])
      .toArray();
    const byId = Object.fromEntries(r.map((b) => [String(b._id), b]));
    expect(r).toHaveLength(3);
    expect(byId['0']).toMatchObject({ count: 2 });
    expect([...byId['0']!.ids].sort()).toEqual([1, 2]);
    expect([...byId['5']!.ids].sort()).toEqual([3, 5, 6]);
    expect(byId['many']!.ids).toEqual([4]);
    // Without output the bucket only counts.
    const plain = await sales.aggregate([{ $bucket: { groupBy: '$price', boundaries: [0, 10, 100] } }]).toArray();
    expect(plain).toEqual([
      { _id: 0, count: 3 },
      { _id: 10, count: 3 },
    ]);
  });
});
