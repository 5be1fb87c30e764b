/**
 * Numbers keep MongoDB's BSON types through arithmetic, on the round trip through the driver
 * (read back with promoteValues: false so Int32, Double, Long and Decimal128 stay distinguishable):
 *   int32 op int32 -> int32, or int64 when it overflows
 *   int64 op int32/int64 -> int64
 *   anything op double -> double (also when the result is a whole number)
 *   anything op decimal -> decimal
 * for $inc and $mul (including a missing field and upserts) and for aggregation $add, $subtract,
 * $multiply and $sum (expression and accumulator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_numeric_types');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

const RAW = { promoteValues: false, promoteLongs: false } as const;

/** `_bsontype` and value of each field, e.g. { d: 'Double 6' }. */
function types(doc: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc ?? {})) {
    if (k === '_id') continue;
    const t = (v as { _bsontype?: string })?._bsontype ?? typeof v;
    out[k] = `${t} ${String(v)}`;
  }
  return out;
}

describe('$inc keeps or widens the type like MongoDB', { timeout: 20_000 }, () => {
  it('double + whole double stays double; int32 + double is double; int32 overflow is int64; decimal stays decimal', async () => {
    const c = db.collection<any>('inc');
    await c.insertOne({
      _id: 1,
      d: new Double(5), i: new Int32(5), max: new Int32(2147483647), min: new Int32(-2147483648),
      l: Long.fromNumber(7), dec: Decimal128.fromString('1.5'), dd: new Double(2.5),
      nested: { d: new Double(1), i: new Int32(1) },
    });
    await c.updateOne({ _id: 1 }, {
      $inc: {
        d: new Double(1), i: new Double(1), max: new Int32(1), min: new Int32(-1),
        l: new Double(1), dec: new Int32(1), dd: new Double(0.5),
        'nested.d': new Int32(1), 'nested.i': new Double(2),
        newD: new Double(3), newL: Long.fromNumber(4), newI: new Int32(5),
      },
    });
    const doc = await c.findOne({ _id: 1 }, RAW);
    expect(types(doc)).toMatchObject({
      d: 'Double 6', i: 'Double 6', max: 'Long 2147483648', min: 'Long -2147483649',
      l: 'Double 8', dec: 'Decimal128 2.5', dd: 'Double 3',
      newD: 'Double 3', newL: 'Long 4', newI: 'Int32 5',
    });
    expect(types(doc!.nested)).toEqual({ d: 'Double 2', i: 'Double 3' });
  });

  it('int32 + int32 inside the range stays int32; int64 + int32 stays int64', async () => {
    const c = db.collection<any>('inc_small');
    await c.insertOne({ _id: 1, i: new Int32(1), l: Long.fromNumber(1) });
    await c.updateOne({ _id: 1 }, { $inc: { i: new Int32(2), l: new Int32(2) } });
    expect(types(await c.findOne({ _id: 1 }, RAW))).toEqual({ i: 'Int32 3', l: 'Long 3' });
  });

  it('an upsert that increments a missing field takes the increment\'s type', async () => {
    const c = db.collection<any>('inc_upsert');
    await c.updateOne({ _id: 'u' }, { $inc: { d: new Double(1), l: Long.fromNumber(2) } }, { upsert: true });
    expect(types(await c.findOne({ _id: 'u' }, RAW))).toEqual({ d: 'Double 1', l: 'Long 2' });
    const r = await c.findOneAndUpdate({ _id: 'v' }, { $inc: { d: new Double(2) } }, { upsert: true, returnDocument: 'after', ...RAW });
    expect(types(r)).toEqual({ d: 'Double 2' });
  });

  it('int64 overflow is refused and changes nothing', async () => {
    const c = db.collection<any>('inc_long_overflow');
    await c.insertOne({ _id: 1, l: Long.MAX_VALUE });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $inc: { l: new Int32(1) } }));
    expect(err.code).toBe(2);
    expect(err.message).toMatch(/Failed to apply \$inc/);
    expect((await c.findOne({ _id: 1 }, RAW))!.l.toString()).toBe(Long.MAX_VALUE.toString());
  });
});

describe('$mul keeps or widens the type like MongoDB', { timeout: 20_000 }, () => {
  it('int32 * double is double; int32 overflow is int64; decimal stays decimal; a missing field is 0 of the multiplier\'s type', async () => {
    const c = db.collection<any>('mul');
    await c.insertOne({ _id: 1, i: new Int32(3), big: new Int32(100000), d: new Double(1.5), dec: Decimal128.fromString('2.5'), l: Long.fromNumber(3) });
    await c.updateOne({ _id: 1 }, {
      $mul: { i: new Double(2), big: new Int32(100000), d: new Int32(2), dec: new Int32(2), l: new Int32(2), missD: new Double(2), missI: new Int32(2), missL: Long.fromNumber(2) },
    });
    expect(types(await c.findOne({ _id: 1 }, RAW))).toEqual({
      i: 'Double 6', big: 'Long 10000000000', d: 'Double 3', dec: 'Decimal128 5.0', l: 'Long 6',
      missD: 'Double 0', missI: 'Int32 0', missL: 'Long 0',
    });
  });
});

describe('$min / $max store the value as sent', { timeout: 20_000 }, () => {
  it('a Double that wins replaces an Int32 as a Double; an equal value changes nothing; dates and nested paths work', async () => {
    const c = db.collection<any>('minmax');
    const t1 = new Date('2024-01-01T00:00:00Z'), t2 = new Date('2024-02-01T00:00:00Z');
    await c.insertOne({ _id: 1, hi: new Int32(3), lo: new Int32(9), same: new Double(5), at: t1, n: { x: new Int32(1) } });
    const r = await c.updateOne({ _id: 1 }, { $max: { hi: new Double(5), same: new Int32(5), at: t2, 'n.x': Long.fromNumber(7), fresh: new Double(2) }, $min: { lo: new Double(4) } });
    expect(r.modifiedCount).toBe(1);
    const doc = await c.findOne({ _id: 1 }, RAW);
    expect(types(doc)).toMatchObject({ hi: 'Double 5', lo: 'Double 4', same: 'Double 5', fresh: 'Double 2' });
    expect(doc!.at).toEqual(t2);
    expect(types(doc!.n)).toEqual({ x: 'Long 7' });
    const noop = await c.updateOne({ _id: 1 }, { $max: { hi: new Int32(1) }, $min: { lo: new Int32(4) } });
    expect(noop.modifiedCount).toBe(0);
  });
});

describe('aggregation arithmetic keeps or widens the type like MongoDB', { timeout: 20_000 }, () => {
  beforeAll(async () => {
    await db.collection<any>('agg').insertMany([
      { _id: 1, d: new Double(2), i: new Int32(3), max: new Int32(2147483647), l: Long.fromNumber(4), dec: Decimal128.fromString('0.5') },
      { _id: 2, d: new Double(4), i: new Int32(5), max: new Int32(2147483647), l: Long.fromNumber(6), dec: Decimal128.fromString('1.5') },
    ]);
  });

  it('$add, $subtract, $multiply and expression $sum in $project / $addFields', async () => {
    const [p] = await db.collection<any>('agg').aggregate([
      { $match: { _id: 1 } },
      {
        $project: {
          dPlusI: { $add: ['$d', '$i'] }, iPlusI: { $add: ['$i', '$i'] }, overflow: { $add: ['$max', '$i'] },
          lPlusI: { $add: ['$l', '$i'] }, decPlusI: { $add: ['$dec', '$i'] }, iPlusLit: { $add: ['$i', 1.5] },
          dMinusI: { $subtract: ['$d', '$i'] }, iMinusI: { $subtract: ['$i', '$i'] },
          dTimesI: { $multiply: ['$d', '$i'] }, iTimesI: { $multiply: ['$i', '$i'] }, bigTimes: { $multiply: ['$max', '$i'] },
          sumExpr: { $sum: ['$d', '$i'] }, sumInts: { $sum: ['$i', '$i'] },
          nested: { $add: [{ $multiply: ['$d', '$i'] }, '$i'] },
        },
      },
    ], RAW).toArray();
    expect(types(p!)).toEqual({
      dPlusI: 'Double 5', iPlusI: 'Int32 6', overflow: 'Long 2147483650',
      lPlusI: 'Long 7', decPlusI: 'Decimal128 3.5', iPlusLit: 'Double 4.5',
      dMinusI: 'Double -1', iMinusI: 'Int32 0',
      dTimesI: 'Double 6', iTimesI: 'Int32 9', bigTimes: 'Long 6442450941',
      sumExpr: 'Double 5', sumInts: 'Int32 6',
      nested: 'Double 9',
    });
  });

  it('$group $sum over doubles is a double, over int32 an int32 (int64 on overflow), a count is an int32', async () => {
    const [g] = await db.collection<any>('agg').aggregate([
      { $group: { _id: null, d: { $sum: '$d' }, i: { $sum: '$i' }, max: { $sum: '$max' }, l: { $sum: '$l' }, dec: { $sum: '$dec' }, n: { $sum: 1 }, mixed: { $sum: { $add: ['$d', '$i'] } } } },
      { $project: { _id: 0 } },
    ], RAW).toArray();
    expect(types(g!)).toEqual({
      d: 'Double 6', i: 'Int32 8', max: 'Long 4294967294', l: 'Long 10', dec: 'Decimal128 2.0', n: 'Int32 2', mixed: 'Double 14',
    });
  });

  it('$group $sum of int64 values beyond 2^53 in total stays exact; whole doubles after a $match stay doubles', async () => {
    const c = db.collection<any>('agg_big');
    const big = Long.fromString('9007199254740991'); // 2^53 - 1: safe on its own, not when doubled
    await c.insertMany([{ _id: 1, l: big, d: new Double(1), k: 'a' }, { _id: 2, l: big, d: new Double(2), k: 'a' }, { _id: 3, l: Long.fromNumber(1), d: new Double(3), k: 'b' }]);
    const out = await c.aggregate([{ $match: { k: 'a' } }, { $group: { _id: '$k', l: { $sum: '$l' }, d: { $sum: '$d' } } }], RAW).toArray();
    expect(types(out[0]!)).toEqual({ l: 'Long 18014398509481982', d: 'Double 3' });
  });

  it('computed doubles still compare, sort and group as numbers in later stages', async () => {
    const out = await db.collection<any>('agg').aggregate([
      { $addFields: { t: { $add: ['$d', 1] } } },
      { $match: { t: { $gte: 3 } } },
      { $sort: { t: -1 } },
      { $group: { _id: '$t', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ], RAW).toArray();
    expect(out.map((x) => [Number(x._id), x.n.valueOf()])).toEqual([[3, 1], [5, 1]]);
  });
});
