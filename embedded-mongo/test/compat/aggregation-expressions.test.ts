/**
 * Aggregation expressions and value fidelity through pipelines: the expressions our product's
 * reports use, grouping of null and missing keys, BSON order in $sort, and BSON types that must
 * survive $project / $group / $addFields unchanged (a Double stays a Double, Int64 stays exact).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_agg_expressions');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

const RAW = { promoteValues: false, promoteLongs: false } as const;

describe('expressions', { timeout: 20_000 }, () => {
  it('conditionals, strings, arrays and dates', async () => {
    const c = db.collection<any>('expr');
    await c.insertOne({
      _id: 1,
      first: 'Ada',
      last: 'Lovelace',
      qty: 7,
      nums: [3, 8, 1, 9],
      items: [{ k: 'a', v: 1 }, { k: 'b', v: 5 }],
      at: new Date('2024-05-06T07:08:09Z'),
      nothing: null,
    });
    const [r] = await c
      .aggregate([
        {
          $project: {
            _id: 0,
            full: { $concat: ['$first', ' ', '$last'] },
            upper: { $toUpper: '$last' },
            big: { $cond: [{ $gte: ['$qty', 5] }, 'big', 'small'] },
            kind: { $switch: { branches: [{ case: { $lt: ['$qty', 5] }, then: 'low' }], default: 'high' } },
            fallback: { $ifNull: ['$nothing', '$missing', 'default'] },
            size: { $size: '$nums' },
            second: { $arrayElemAt: ['$nums', 1] },
            lastNum: { $arrayElemAt: ['$nums', -1] },
            bigNums: { $filter: { input: '$nums', as: 'n', cond: { $gt: ['$$n', 5] } } },
            doubled: { $map: { input: '$nums', in: { $multiply: ['$$this', 2] } } },
            total: { $reduce: { input: '$nums', initialValue: 0, in: { $add: ['$$value', '$$this'] } } },
            keys: '$items.k',
            hasB: { $in: ['b', '$items.k'] },
            day: { $dateToString: { format: '%Y-%m-%d', date: '$at' } },
            hour: { $hour: '$at' },
            asString: { $toString: '$qty' },
            rounded: { $round: [{ $divide: ['$qty', 3] }, 2] },
            maxNum: { $max: '$nums' },
            sumNums: { $sum: '$nums' },
          },
        },
      ])
      .toArray();
    expect(r).toEqual({
      full: 'Ada Lovelace',
      upper: 'LOVELACE',
      big: 'big',
      kind: 'high',
      fallback: 'default',
      size: 4,
      second: 8,
      lastNum: 9,
      bigNums: [8, 9],
      doubled: [6, 16, 2, 18],
      total: 21,
      keys: ['a', 'b'],
      hasB: true,
      day: '2024-05-06',
      hour: 7,
      asString: '7',
      rounded: 2.33,
      maxNum: 9,
      sumNums: 21,
    });
  });

  it('$group puts null and missing keys in one null group', async () => {
    const c = db.collection<any>('null_groups');
    await c.insertMany([{ k: null }, {}, { k: 'a' }, { k: 'a' }]);
    const r = await c.aggregate([{ $group: { _id: '$k', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(r).toEqual([
      { _id: null, n: 2 },
      { _id: 'a', n: 2 },
    ]);
  });

  it('$group keys compare numbers by value across types', async () => {
    const c = db.collection<any>('numeric_groups');
    await c.insertMany([{ k: new Int32(1) }, { k: new Double(1) }, { k: Long.fromNumber(1) }, { k: Decimal128.fromString('1.0') }, { k: 2 }]);
    const r = await c.aggregate([{ $group: { _id: '$k', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(r.map((g) => g.n)).toEqual([4, 1]);
  });

  it('$sort in a pipeline follows BSON order across types, like find', async () => {
    const c = db.collection<any>('agg_bson_order');
    await c.insertMany([
      { _id: 1, v: 'str' },
      { _id: 2, v: 10 },
      { _id: 3, v: null },
      { _id: 4, v: { a: 1 } },
      { _id: 5, v: new ObjectId('650000000000000000000000') },
      { _id: 6, v: true },
      { _id: 7, v: new Date(0) },
      { _id: 8, v: new MaxKey() },
      { _id: 9, v: new MinKey() },
      { _id: 10 },
      { _id: 11, v: -1.5 },
    ]);
    const viaFind = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    const viaAgg = (await c.aggregate([{ $sort: { v: 1, _id: 1 } }]).toArray()).map((d) => d._id);
    expect(viaFind).toEqual([9, 3, 10, 11, 2, 1, 4, 5, 6, 7, 8]);
    expect(viaAgg).toEqual(viaFind);
    const viaAggDesc = (await c.aggregate([{ $sort: { v: -1, _id: 1 } }]).toArray()).map((d) => d._id);
    expect(viaAggDesc).toEqual([8, 7, 6, 5, 4, 1, 2, 11, 3, 10, 9]);
  });
});

describe('BSON types survive pipelines', { timeout: 20_000 }, () => {
  it('Double, Int32, Int64 above 2^53 and Decimal128 pass through $match/$project/$addFields/$group unchanged', async () => {
    const c = db.collection<any>('typed');
    const big = Long.fromString('9007199254740993');
    await c.insertOne({ _id: 1, d: new Double(5), i: new Int32(5), l: big, m: Decimal128.fromString('1.10'), nested: { d: new Double(2) }, arr: [new Double(3)] });
    const [p = {}] = await c
      .aggregate([{ $match: { _id: 1 } }, { $project: { d: 1, i: 1, l: 1, m: 1, nested: 1, arr: 1 } }, { $addFields: { copy: '$d' } }], RAW)
      .toArray();
    expect(p.d).toBeInstanceOf(Double);
    expect(p.copy).toBeInstanceOf(Double);
    expect(p.i).toBeInstanceOf(Int32);
    expect(p.l).toBeInstanceOf(Long);
    expect(p.l.toString()).toBe('9007199254740993');
    expect(p.m).toBeInstanceOf(Decimal128);
    expect(p.m.toString()).toBe('1.10');
    expect(p.nested.d).toBeInstanceOf(Double);
    expect(p.arr[0]).toBeInstanceOf(Double);

    const [g = {}] = await c.aggregate([{ $group: { _id: null, d: { $first: '$d' }, l: { $max: '$l' }, ls: { $push: '$l' } } }], RAW).toArray();
    expect(g.d).toBeInstanceOf(Double);
    expect(g.l.toString()).toBe('9007199254740993');
    expect(g.ls[0].toString()).toBe('9007199254740993');
  });

  it('$lookup and $unwind results keep the joined values typed', async () => {
    await db.collection<any>('typed_a').insertOne({ _id: 1, ref: Long.fromString('9007199254740995') });
    await db.collection<any>('typed_b').insertOne({ _id: Long.fromString('9007199254740995'), price: new Double(10) });
    // A neighbour key that a double conversion would confuse with the real one.
    await db.collection<any>('typed_b').insertOne({ _id: Long.fromString('9007199254740994'), price: new Double(99) });
    const [r = {}] = await db
      .collection('typed_a')
      .aggregate([{ $lookup: { from: 'typed_b', localField: 'ref', foreignField: '_id', as: 'b' } }, { $unwind: '$b' }], RAW)
      .toArray();
    expect(r.b.price).toBeInstanceOf(Double);
    expect(r.b.price.valueOf()).toBe(10);
    expect(r.b._id.toString()).toBe('9007199254740995');
  });
});
