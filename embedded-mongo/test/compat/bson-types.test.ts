/**
 * BSON values keep their type on the round trip and compare / sort / add by their BSON semantics:
 * Double vs Int32, Int64 above 2^53, Decimal128, Date, ObjectId, Binary, nested arrays,
 * null versus missing, and the cross-type BSON sort order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID, type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_bson_types');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

const RAW = { promoteValues: false, promoteLongs: false } as const;

describe('numeric types', { timeout: 20_000 }, () => {
  it('a Double holding an integral value stays a Double', async () => {
    const c = db.collection<any>('double');
    await c.insertOne({ _id: 1, d: new Double(5), i: new Int32(5), plain: 5, frac: 5.5 });
    const raw = await c.findOne({ _id: 1 }, RAW);
    expect(raw!.d).toBeInstanceOf(Double);
    expect(raw!.d.valueOf()).toBe(5);
    expect(raw!.i).toBeInstanceOf(Int32);
    // A JS integer number is sent by the driver as int32, a fractional one as double.
    expect(raw!.plain).toBeInstanceOf(Int32);
    expect(raw!.frac).toBeInstanceOf(Double);
    expect(await c.countDocuments({ d: { $type: 'double' } })).toBe(1);
    expect(await c.countDocuments({ i: { $type: 'int' } })).toBe(1);
    expect(await c.countDocuments({ d: { $type: 'int' } })).toBe(0);
    expect(await c.countDocuments({ d: { $type: 'number' } })).toBe(1);
    // Numerically equal values of different types are equal in queries.
    expect(await c.countDocuments({ d: 5, i: new Double(5) })).toBe(1);
    const [t] = await c.aggregate([{ $project: { td: { $type: '$d' }, ti: { $type: '$i' } } }]).toArray();
    expect(t).toEqual({ _id: 1, td: 'double', ti: 'int' });
  });

  it('a Double survives an update of another field and a replace', async () => {
    const c = db.collection<any>('double_kept');
    await c.insertOne({ _id: 1, d: new Double(2), n: 0 });
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    expect((await c.findOne({ _id: 1 }, RAW))!.d).toBeInstanceOf(Double);
    await c.replaceOne({ _id: 1 }, { d: new Double(3) });
    expect((await c.findOne({ _id: 1 }, RAW))!.d).toBeInstanceOf(Double);
  });

  it('Int64 above 2^53 compares, sorts and $inc-s exactly', async () => {
    const c = db.collection<any>('long');
    const base = Long.fromString('9007199254740993'); // 2^53 + 1: not representable as a double
    await c.insertMany([
      { _id: 'a', v: Long.fromString('9007199254740995') },
      { _id: 'b', v: base },
      { _id: 'c', v: Long.fromString('9007199254740994') },
    ]);
    const sorted = await c.find({}, RAW).sort({ v: 1 }).toArray();
    expect(sorted.map((d) => d._id.toString())).toEqual(['b', 'c', 'a']);
    expect(await c.countDocuments({ v: Long.fromString('9007199254740993') })).toBe(1);
    expect(await c.countDocuments({ v: { $gt: Long.fromString('9007199254740993') } })).toBe(2);
    await c.updateOne({ _id: 'b' }, { $inc: { v: Long.fromNumber(1) } });
    const b = await c.findOne({ _id: 'b' }, RAW);
    expect(b!.v).toBeInstanceOf(Long);
    expect(b!.v.toString()).toBe('9007199254740994');
    // useBigInt64 gives exact bigints too.
    const big = await c.findOne({ _id: 'a' }, { useBigInt64: true });
    expect(big!.v).toBe(9007199254740995n);
    // Aggregation arithmetic on longs is exact as well.
    const [sum] = await c.aggregate([{ $group: { _id: null, s: { $sum: '$v' } } }], { useBigInt64: true } as any).toArray();
    expect(sum!.s).toBe(9007199254740994n + 9007199254740994n + 9007199254740995n);
  });

  it('Decimal128 compares and $inc-s in decimal (0.1 + 0.2 = 0.3)', async () => {
    const c = db.collection<any>('decimal');
    await c.insertMany([
      { _id: 1, v: Decimal128.fromString('0.1') },
      { _id: 2, v: Decimal128.fromString('1.10') },
      { _id: 3, v: Decimal128.fromString('-2') },
    ]);
    await c.updateOne({ _id: 1 }, { $inc: { v: Decimal128.fromString('0.2') } });
    const one = await c.findOne({ _id: 1 });
    expect(one!.v).toBeInstanceOf(Decimal128);
    expect(one!.v.toString()).toBe('0.3');
    expect(await c.countDocuments({ v: Decimal128.fromString('0.3') })).toBe(1);
    // Decimal equality ignores trailing zeros; the double 1.1 is not exactly 1.1, so it does not
    // equal the decimal (MongoDB's own docs show NumberDecimal('9.99') not matching 9.99).
    expect(await c.countDocuments({ v: Decimal128.fromString('1.1') })).toBe(1);
    expect(await c.countDocuments({ v: 1.1 })).toBe(0);
    expect(await c.countDocuments({ v: { $gt: 1.09, $lt: 1.11 } })).toBe(1);
    expect(await c.countDocuments({ v: { $gt: 1 } })).toBe(1);
    expect(await c.countDocuments({ v: { $lt: 0 } })).toBe(1);
    const sorted = await c.find().sort({ v: -1 }).toArray();
    expect(sorted.map((d) => d._id)).toEqual([2, 1, 3]);
    expect(await c.countDocuments({ v: { $type: 'decimal' } })).toBe(3);
  });

  it('arithmetic widens types like MongoDB: int32 overflow becomes int64, long + double is double', async () => {
    const c = db.collection<any>('widening');
    await c.insertOne({ _id: 1, i: new Int32(2147483647), l: Long.fromNumber(10), d: new Double(1.5), small: new Int32(3) });
    await c.updateOne({ _id: 1 }, { $inc: { i: new Int32(1), l: new Int32(5), d: Long.fromNumber(2), small: Long.fromNumber(1) } });
    const doc = await c.findOne({ _id: 1 }, RAW);
    expect(doc!.i).toBeInstanceOf(Long);
    expect(doc!.i.toString()).toBe('2147483648');
    expect(doc!.l).toBeInstanceOf(Long);
    expect(doc!.l.toString()).toBe('15');
    expect(doc!.d).toBeInstanceOf(Double);
    expect(doc!.d.valueOf()).toBe(3.5);
    // int32 + int64 gives int64 even when the result is small.
    expect(doc!.small).toBeInstanceOf(Long);
    expect(doc!.small.toString()).toBe('4');
  });

  it('mixed numeric types sort by value', async () => {
    const c = db.collection<any>('mixed_numbers');
    await c.insertMany([
      { _id: 1, v: new Int32(3) },
      { _id: 2, v: new Double(2.5) },
      { _id: 3, v: Long.fromNumber(4) },
      { _id: 4, v: Decimal128.fromString('3.5') },
      { _id: 5, v: new Double(-1) },
    ]);
    expect((await c.find().sort({ v: 1 }).toArray()).map((d) => d._id)).toEqual([5, 2, 1, 4, 3]);
  });
});

describe('other types', { timeout: 20_000 }, () => {
  it('Date, ObjectId, Binary (incl. UUID), nested arrays and embedded documents round-trip', async () => {
    const c = db.collection<any>('others');
    const oid = new ObjectId();
    const when = new Date('2024-02-29T12:34:56.789Z');
    const bin = new Binary(Buffer.from([0, 1, 2, 255]), 0);
    const uuid = new UUID();
    const doc = { _id: 1, when, oid, bin, uuid, nested: [[1, [2, [3]]], { a: [{ b: null }] }], emb: { x: { y: { z: 'deep' } } }, t: true, s: '' };
    await c.insertOne(doc);
    const back = await c.findOne({ _id: 1 });
    expect(back!.when).toEqual(when);
    expect(back!.oid).toBeInstanceOf(ObjectId);
    expect(back!.oid.equals(oid)).toBe(true);
    expect(back!.bin).toBeInstanceOf(Binary);
    expect(Buffer.from(back!.bin.buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(back!.uuid.toString('hex')).toBe(uuid.toHexString().replace(/-/g, ''));
    expect(back!.uuid.sub_type).toBe(4);
    expect(back!.nested).toEqual([[1, [2, [3]]], { a: [{ b: null }] }]);
    expect(back!.emb).toEqual({ x: { y: { z: 'deep' } } });
    expect(back!.t).toBe(true);
    expect(back!.s).toBe('');
    expect(await c.countDocuments({ when: { $gte: new Date('2024-01-01') } })).toBe(1);
    expect(await c.countDocuments({ oid })).toBe(1);
    expect(await c.countDocuments({ bin })).toBe(1);
    // A path ending on an array matches the array itself or any of its elements.
    expect(await c.countDocuments({ 'nested.0.1.1': 3 })).toBe(1);
    expect(await c.countDocuments({ 'nested.0.1.1': [3] })).toBe(1);
  });

  it('Timestamp and regular expressions are stored as BSON values', async () => {
    const c = db.collection<any>('ts_regex');
    const ts = new Timestamp({ t: 1_700_000_000, i: 3 });
    await c.insertOne({ _id: 1, ts, re: /ab+c/i });
    const back = await c.findOne({ _id: 1 }, { bsonRegExp: true });
    expect(back!.ts).toBeInstanceOf(Timestamp);
    expect(back!.ts.equals(ts)).toBe(true);
    expect(back!.re).toBeInstanceOf(BSONRegExp);
    expect(back!.re.pattern).toBe('ab+c');
    expect(back!.re.options).toBe('i');
    expect(await c.countDocuments({ ts: { $type: 'timestamp' } })).toBe(1);
    expect(await c.countDocuments({ re: { $type: 'regex' } })).toBe(1);
  });

  it('field order of documents is preserved', async () => {
    const c = db.collection<any>('order');
    await c.insertOne({ _id: 1, z: 1, a: 2, m: { y: 1, b: 2 } });
    const back = await c.findOne({ _id: 1 });
    expect(Object.keys(back!)).toEqual(['_id', 'z', 'a', 'm']);
    expect(Object.keys(back!.m)).toEqual(['y', 'b']);
  });

  it('null and missing: {f: null} matches both, $type null and $exists tell them apart', async () => {
    const c = db.collection<any>('nulls');
    await c.insertMany([{ _id: 1, f: null }, { _id: 2 }, { _id: 3, f: 0 }, { _id: 4, f: [null, 1] }]);
    const ids = async (q: any) => (await c.find(q).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ f: null })).toEqual([1, 2, 4]);
    expect(await ids({ f: { $type: 'null' } })).toEqual([1, 4]);
    expect(await ids({ f: { $exists: false } })).toEqual([2]);
    expect(await ids({ f: { $ne: null } })).toEqual([3]);
    const back = await c.findOne({ _id: 1 });
    expect(back).toEqual({ _id: 1, f: null });
    expect('f' in (await c.findOne({ _id: 2 }))!).toBe(false);
  });

  it('sorting across types follows BSON order', async () => {
    const c = db.collection<any>('bson_order');
    const oid = new ObjectId('650000000000000000000000');
    await c.insertMany([
      { _id: 1, v: 'str' },
      { _id: 2, v: 10 },
      { _id: 3, v: null },
      { _id: 4, v: { a: 1 } },
      { _id: 5, v: new Binary(Buffer.from([1])) },
      { _id: 6, v: oid },
      { _id: 7, v: true },
      { _id: 8, v: new Date(0) },
      { _id: 9, v: new MaxKey() },
      { _id: 10, v: new MinKey() },
      { _id: 11 },
      { _id: 12, v: false },
      { _id: 13, v: -5.5 },
      { _id: 14, v: 'Str' },
    ]);
    // MinKey < null = missing < numbers < strings < objects < binary < ObjectId < bool < Date < MaxKey
    const asc = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    expect(asc).toEqual([10, 3, 11, 13, 2, 14, 1, 4, 5, 6, 12, 7, 8, 9]);
    const desc = (await c.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    expect(desc).toEqual([9, 8, 7, 12, 6, 5, 4, 1, 14, 2, 13, 3, 11, 10]);
  });

  it('an array sorts by its smallest element ascending and its largest descending', async () => {
    const c = db.collection<any>('array_sort');
    await c.insertMany([{ _id: 1, v: [5, 1] }, { _id: 2, v: 3 }, { _id: 3, v: [4, 9] }]);
    expect((await c.find().sort({ v: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
    expect((await c.find().sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([3, 1, 2]);
  });

  it('strings compare by UTF-8 bytes (an emoji sorts after U+FF5E, unlike JS UTF-16 order)', async () => {
    const c = db.collection<any>('utf8_order');
    await c.insertMany([{ _id: 1, s: '\u{1F600}' }, { _id: 2, s: '\uFF5E' }, { _id: 3, s: 'z' }, { _id: 4, s: 'é' }]);
    expect((await c.find().sort({ s: 1 }).toArray()).map((d) => d._id)).toEqual([3, 4, 2, 1]);
    expect((await c.find({ s: { $gt: '\uFF5E' } }).toArray()).map((d) => d._id)).toEqual([1]);
    await c.createIndex({ s: 1 });
    expect((await c.find({ s: { $gt: '\uFF5E' } }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await c.find().sort({ s: -1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 4, 3]);
  });

  it('sorting on a path through an array of documents uses the smallest (asc) / largest (desc) value', async () => {
    const c = db.collection<any>('array_path_sort');
    await c.insertMany([{ _id: 1, a: [{ b: 5 }, { b: 1 }] }, { _id: 2, a: { b: 3 } }, { _id: 3, a: [{ b: 2 }, { b: 4 }] }]);
    expect((await c.find().sort({ 'a.b': 1 }).toArray()).map((d) => d._id)).toEqual([1, 3, 2]);
    expect((await c.find().sort({ 'a.b': -1 }).toArray()).map((d) => d._id)).toEqual([1, 3, 2]);
  });

  it('range queries do not cross types (type bracketing)', async () => {
    const c = db.collection<any>('bracketing');
    await c.insertMany([{ _id: 1, v: 5 }, { _id: 2, v: '5' }, { _id: 3, v: new Date(5) }, { _id: 4, v: null }]);
    expect((await c.find({ v: { $gt: 0 } }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await c.find({ v: { $gt: '' } }).toArray()).map((d) => d._id)).toEqual([2]);
    expect((await c.find({ v: { $lt: new Date(10) } }).toArray()).map((d) => d._id)).toEqual([3]);
  });
});
