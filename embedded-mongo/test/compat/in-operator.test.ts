/**
 * `$in` / `$nin` with long lists: the same answers as the equivalent `$or` of equalities across BSON
 * types (numbers of every type compare by value, int64 beyond 2^53 exactly, arrays match whole or
 * by element, collation folds strings), and a list of thousands of ids answers promptly (it used to
 * compare every listed value with every document).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, ObjectId, type Collection, type Db } from 'mongodb';
import { openDb, within, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let things: Collection<any>;
const oids = Array.from({ length: 4 }, () => new ObjectId());

const VALUES: unknown[] = [
  1, new Int32(2), new Double(3.5), Long.fromString('9007199254740993'), Decimal128.fromString('4.25'),
  'Apple', 'apple', 'pear', true, false, new Date('2026-01-01T00:00:00Z'), ...oids,
  [1, 2], ['pear', 'fig'], { a: 1 }, { a: 1, b: 2 },
];

beforeAll(async () => {
  ctx = await openDb('compat_in_operator');
  db = ctx.db;
  things = db.collection('things');
  await things.insertMany(VALUES.map((v, i) => ({ _id: i, v })));
  await things.insertOne({ _id: 100 }); // no field
  await things.insertOne({ _id: 101, v: null });
}, 30_000);
afterAll(async () => ctx?.close());

const ids = async (filter: object, options: object = {}) => (await things.find(filter, options).sort({ _id: 1 }).toArray()).map((d) => d._id);

describe('$in and $nin with long lists', () => {
  // [what, list, the ids it must match]
  const lists: Array<[string, unknown[], number[]]> = [
    ['numbers of every type', [new Double(1), 2, new Int32(3), 3.5, Long.fromString('9007199254740993'), 4.25, 7, 8, 9, 10], [0, 1, 2, 3, 4, 15]],
    ['int64 beyond 2^53 is exact (neighbours do not match)', [Long.fromString('9007199254740992'), Long.fromString('9007199254740994'), 11, 12, 13, 14, 15, 16], []],
    ['strings, booleans, dates and ids', ['apple', 'pear', 'plum', true, new Date('2026-01-01T00:00:00Z'), oids[1], oids[3], new ObjectId()], [6, 7, 8, 10, 12, 14, 16]],
    // {b:2, a:1} is not {a:1, b:2}: field order counts in document equality
    ['arrays and documents', [[1, 2], 'fig', { a: 1 }, { b: 2, a: 1 }, 5, 6, 7, 8], [15, 16, 17]],
  ];
  for (const [what, list, expected] of lists) {
    it(`${what}: $in answers like the $or of equalities, $nin like its complement`, async () => {
      const viaOr = await ids({ $or: list.map((v) => ({ v })) });
      expect(viaOr).toEqual(expected);
      expect(await ids({ v: { $in: list } })).toEqual(viaOr);
      const all = await ids({});
      expect(await ids({ v: { $nin: list } })).toEqual(all.filter((id) => !viaOr.includes(id)));
    });
  }

  it('folds strings with the query collation', async () => {
    const list = ['APPLE', 'PEAR', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    const collation = { locale: 'en', strength: 2 };
    expect(await ids({ v: { $in: list } }, { collation })).toEqual(await ids({ $or: list.map((v) => ({ v })) }, { collation }));
    expect(await ids({ v: { $in: list } }, { collation })).toEqual([5, 6, 7, 16]); // 16 holds 'pear' in an array
  });

  it('answers 20,000 listed ids over 20,000 documents promptly', async () => {
    const big = db.collection<{ _id: ObjectId; n: number }>('big');
    const docs = Array.from({ length: 20_000 }, (_, n) => ({ _id: new ObjectId(), n }));
    await big.insertMany(docs);
    const wanted = docs.filter((d) => d.n % 2 === 0).map((d) => d._id).concat(Array.from({ length: 10_000 }, () => new ObjectId()));
    const found = await within(20_000, big.find({ _id: { $in: wanted } }).project({ n: 1 }).toArray(), '$in of 20,000 ids');
    expect(found.length).toBe(10_000);
    expect(found.every((d) => d.n % 2 === 0)).toBe(true);
    const byField = await within(20_000, big.countDocuments({ n: { $in: Array.from({ length: 20_000 }, (_, i) => i * 3) } }), '$in of 20,000 numbers');
    expect(byField).toBe(6_667);
  }, 60_000);
});
