/**
 * find: filters, sort, projection (inclusion, exclusion, $slice, $elemMatch, positional `$`),
 * skip/limit, countDocuments / estimatedDocumentCount, distinct (arrays are flattened).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let people: Collection<any>;

const PEOPLE = [
  { _id: 1, name: 'ann', age: 31, city: 'Oslo', tags: ['a', 'b'], address: { zip: '0150', street: 'Main' }, grades: [{ score: 70, kind: 'quiz' }, { score: 95, kind: 'exam' }, { score: 88, kind: 'exam' }] },
  { _id: 2, name: 'bob', age: 25, city: 'Bergen', tags: ['b', 'c'], address: { zip: '5003', street: 'Side' }, grades: [{ score: 60, kind: 'quiz' }, { score: 82, kind: 'exam' }] },
  { _id: 3, name: 'cid', age: 42, city: 'Oslo', tags: 'd', address: { zip: '0151' }, grades: [] },
  { _id: 4, name: 'dee', age: 25, city: 'Trondheim', tags: [], grades: [{ score: 99, kind: 'quiz' }] },
  { _id: 5, name: 'eve', age: null, city: 'Oslo', grades: [{ score: 50, kind: 'exam' }] },
];

beforeAll(async () => {
  ctx = await openDb('compat_crud_find');
  db = ctx.db;
  people = db.collection('people');
  await people.insertMany(PEOPLE);
}, 30_000);
afterAll(async () => ctx?.close());

const ids = (docs: any[]) => docs.map((d) => d._id);

describe('filters', { timeout: 20_000 }, () => {
  it('equality, comparison and logical operators', async () => {
    expect(ids(await people.find({ city: 'Oslo' }).sort({ _id: 1 }).toArray())).toEqual([1, 3, 5]);
    expect(ids(await people.find({ age: { $gte: 30 } }).sort({ _id: 1 }).toArray())).toEqual([1, 3]);
    expect(ids(await people.find({ age: { $in: [25, 42] } }).sort({ _id: 1 }).toArray())).toEqual([2, 3, 4]);
    expect(ids(await people.find({ $or: [{ name: 'ann' }, { age: 25 }] }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 4]);
    expect(ids(await people.find({ city: 'Oslo', age: { $ne: 31 } }).sort({ _id: 1 }).toArray())).toEqual([3, 5]);
    expect(ids(await people.find({ age: { $not: { $gt: 30 } } }).sort({ _id: 1 }).toArray())).toEqual([2, 4, 5]);
    expect(ids(await people.find({ name: { $regex: '^[bc]' } }).sort({ _id: 1 }).toArray())).toEqual([2, 3]);
  });

  it('dotted paths into embedded documents and arrays of documents', async () => {
    expect(ids(await people.find({ 'address.zip': '0150' }).toArray())).toEqual([1]);
    expect(ids(await people.find({ 'grades.score': { $gt: 90 } }).sort({ _id: 1 }).toArray())).toEqual([1, 4]);
    // $elemMatch requires one element to satisfy both conditions; the plain dotted form does not.
    expect(ids(await people.find({ grades: { $elemMatch: { score: { $gt: 85 }, kind: 'quiz' } } }).toArray())).toEqual([4]);
    expect(ids(await people.find({ 'grades.score': { $gt: 85 }, 'grades.kind': 'quiz' }).sort({ _id: 1 }).toArray())).toEqual([1, 4]);
  });

  it('array fields match any element, the whole array, $all and $size', async () => {
    expect(ids(await people.find({ tags: 'b' }).sort({ _id: 1 }).toArray())).toEqual([1, 2]);
    expect(ids(await people.find({ tags: ['a', 'b'] }).toArray())).toEqual([1]);
    expect(ids(await people.find({ tags: ['b', 'a'] }).toArray())).toEqual([]);
    expect(ids(await people.find({ tags: { $all: ['b', 'a'] } }).toArray())).toEqual([1]);
    expect(ids(await people.find({ tags: { $size: 0 } }).toArray())).toEqual([4]);
    expect(ids(await people.find({ tags: 'd' }).toArray())).toEqual([3]);
  });

  it('null matches null and missing; $exists distinguishes them', async () => {
    expect(ids(await people.find({ age: null }).toArray())).toEqual([5]);
    expect(ids(await people.find({ tags: null }).toArray())).toEqual([5]);
    expect(ids(await people.find({ tags: { $exists: false } }).toArray())).toEqual([5]);
    expect(ids(await people.find({ age: { $exists: true } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 4, 5]);
  });

  it('$regex options, $mod, $type array, $nor, $all with $elemMatch', async () => {
    expect(ids(await people.find({ name: { $regex: '^A', $options: 'i' } }).toArray())).toEqual([1]);
    expect(ids(await people.find({ name: /^A/i }).toArray())).toEqual([1]);
    expect(ids(await people.find({ age: { $mod: [5, 0] } }).sort({ _id: 1 }).toArray())).toEqual([2, 4]);
    expect(ids(await people.find({ tags: { $type: 'array' } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 4]);
    expect(ids(await people.find({ $nor: [{ city: 'Oslo' }, { age: 25 }] }).toArray())).toEqual([]);
    expect(ids(await people.find({ $nor: [{ city: 'Oslo' }, { name: 'bob' }] }).toArray())).toEqual([4]);
    expect(
      ids(await people.find({ grades: { $all: [{ $elemMatch: { kind: 'quiz' } }, { $elemMatch: { score: { $gte: 90 } } }] } }).sort({ _id: 1 }).toArray()),
    ).toEqual([1, 4]);
  });

  it('array edge cases: nested array equality, index paths, $elemMatch on scalars, $nin and missing, $in with regex', async () => {
    const c = db.collection<any>('array_edges');
    await c.insertMany([
      { _id: 1, m: [[1, 2], [3]], v: [1, 8], s: 'apple' },
      { _id: 2, m: [1, 2], v: [4, 6], s: 'Banana' },
      { _id: 3, v: 7, s: 'cherry' },
    ]);
    const q = async (f: any) => (await c.find(f).sort({ _id: 1 }).toArray()).map((d) => d._id);
    // An array value matches the whole field or any element that is equal to it.
    expect(await q({ m: [1, 2] })).toEqual([1, 2]);
    // m.0 of document 1 is the array [1, 2], whose elements match 1 as well.
    expect(await q({ 'm.0': 1 })).toEqual([1, 2]);
    expect(await q({ 'm.0': [1, 2] })).toEqual([1]);
    expect(await q({ 'v.1': { $gt: 5 } })).toEqual([1, 2]);
    // Range conditions on an array may be satisfied by different elements; $elemMatch needs one.
    expect(await q({ v: { $gt: 3, $lt: 5 } })).toEqual([1, 2]);
    expect(await q({ v: { $elemMatch: { $gt: 3, $lt: 5 } } })).toEqual([2]);
    expect(await q({ m: { $nin: [[3]] } })).toEqual([2, 3]);
    expect(await q({ m: { $exists: false } })).toEqual([3]);
    expect(await q({ s: { $in: [/^b/i, 'cherry'] } })).toEqual([2, 3]);
    expect(await q({ v: { $all: [] } })).toEqual([]);
    expect(await q({ s: { $not: /^a/ } })).toEqual([2, 3]);
  });

  it('$expr compares fields of the same document', async () => {
    const c = db.collection<any>('expr');
    await c.insertMany([{ _id: 1, spent: 10, budget: 20 }, { _id: 2, spent: 30, budget: 20 }]);
    expect(ids(await c.find({ $expr: { $gt: ['$spent', '$budget'] } }).toArray())).toEqual([2]);
  });
});

describe('sort, skip, limit', { timeout: 20_000 }, () => {
  it('sorts on several keys, ascending and descending', async () => {
    const docs = await people.find({}, { projection: { _id: 1 } }).sort({ age: -1, name: 1 }).toArray();
    // age desc: 42, 31, 25 (bob, dee by name), null last
    expect(ids(docs)).toEqual([3, 1, 2, 4, 5]);
  });

  it('sorts by an embedded field; missing sorts before present values ascending', async () => {
    const docs = await people.find().sort({ 'address.zip': 1, _id: 1 }).toArray();
    expect(ids(docs)).toEqual([4, 5, 1, 3, 2]);
  });

  it('applies skip then limit after sort', async () => {
    const c = db.collection<any>('numbers');
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, n: 49 - i })));
    const docs = await c.find().sort({ n: 1 }).skip(10).limit(5).toArray();
    expect(docs.map((d) => d.n)).toEqual([10, 11, 12, 13, 14]);
    expect(await c.find().skip(45).toArray()).toHaveLength(5);
    expect(await c.find().skip(100).toArray()).toHaveLength(0);
  });
});

describe('projection', { timeout: 20_000 }, () => {
  it('inclusion keeps _id unless excluded', async () => {
    expect(await people.findOne({ _id: 1 }, { projection: { name: 1, city: 1 } })).toEqual({ _id: 1, name: 'ann', city: 'Oslo' });
    expect(await people.findOne({ _id: 1 }, { projection: { _id: 0, name: 1 } })).toEqual({ name: 'ann' });
  });

  it('inclusion of a dotted path keeps only that sub-field', async () => {
    expect(await people.findOne({ _id: 1 }, { projection: { 'address.zip': 1 } })).toEqual({ _id: 1, address: { zip: '0150' } });
    expect(await people.findOne({ _id: 2 }, { projection: { _id: 0, 'grades.score': 1 } })).toEqual({ grades: [{ score: 60 }, { score: 82 }] });
  });

  it('exclusion removes the named fields only', async () => {
    const d = await people.findOne({ _id: 3 }, { projection: { grades: 0, tags: 0, 'address.zip': 0 } });
    expect(d).toEqual({ _id: 3, name: 'cid', age: 42, city: 'Oslo', address: {} });
  });

  it('mixing inclusion and exclusion (other than _id) is an error', async () => {
    const err = await rejectionOf(people.findOne({ _id: 1 }, { projection: { name: 1, city: 0 } }));
    expect(err).toBeInstanceOf(MongoServerError);
  });

  it('$slice returns the first n, last n, or a [skip, n] window of an array', async () => {
    const first = await people.findOne({ _id: 1 }, { projection: { grades: { $slice: 1 }, name: 1 } });
    expect(first).toEqual({ _id: 1, name: 'ann', grades: [{ score: 70, kind: 'quiz' }] });
    const last = await people.findOne({ _id: 1 }, { projection: { _id: 0, grades: { $slice: -1 } } });
    // $slice alone is an exclusion-style projection: the other fields stay.
    expect(last!.grades).toEqual([{ score: 88, kind: 'exam' }]);
    expect(last!.name).toBe('ann');
    const window = await people.findOne({ _id: 1 }, { projection: { _id: 0, name: 1, grades: { $slice: [1, 1] } } });
    expect(window).toEqual({ name: 'ann', grades: [{ score: 95, kind: 'exam' }] });
  });

  it('$elemMatch projection returns only the first matching element', async () => {
    const d = await people.findOne({ _id: 1 }, { projection: { grades: { $elemMatch: { kind: 'exam' } } } });
    expect(d).toEqual({ _id: 1, grades: [{ score: 95, kind: 'exam' }] });
    const none = await people.findOne({ _id: 3 }, { projection: { grades: { $elemMatch: { kind: 'exam' } } } });
    expect(none).toEqual({ _id: 3 });
  });

  it('$elemMatch projection takes operator-only conditions on scalar arrays; included fields come first, _id leading', async () => {
    const c = db.collection<any>('elem_scalars');
    await c.insertOne({ _id: 1, name: 'x', nums: [1, 5, 9], words: ['a', 'k'] });
    const d = await c.findOne({ _id: 1 }, { projection: { nums: { $elemMatch: { $gte: 4, $lt: 9 } }, name: 1, words: { $elemMatch: { $eq: 'k' } } } });
    expect(d).toEqual({ _id: 1, name: 'x', nums: [5], words: ['k'] });
    expect(Object.keys(d!)).toEqual(['_id', 'name', 'nums', 'words']);
    const p = await people.findOne({ 'grades.score': { $gt: 85 } }, { sort: { _id: 1 }, projection: { 'grades.$': 1, name: 1 } });
    expect(Object.keys(p!)).toEqual(['_id', 'name', 'grades']);
  });

  it('positional `$` projection returns the first element matched by the query', async () => {
    const d = await people.findOne({ 'grades.score': { $gt: 85 } }, { sort: { _id: 1 }, projection: { 'grades.$': 1 } });
    expect(d).toEqual({ _id: 1, grades: [{ score: 95, kind: 'exam' }] });
  });
});

describe('counting and distinct', { timeout: 20_000 }, () => {
  it('countDocuments honours filter, skip and limit; estimatedDocumentCount counts all', async () => {
    expect(await people.countDocuments()).toBe(5);
    expect(await people.countDocuments({ city: 'Oslo' })).toBe(3);
    expect(await people.countDocuments({ city: 'Oslo' }, { skip: 1 })).toBe(2);
    expect(await people.countDocuments({}, { limit: 2 })).toBe(2);
    expect(await people.estimatedDocumentCount()).toBe(5);
    expect(await db.collection('does_not_exist').countDocuments()).toBe(0);
    expect(await db.collection('does_not_exist').estimatedDocumentCount()).toBe(0);
  });

  it('distinct flattens arrays and skips missing values', async () => {
    const tags = await people.distinct('tags');
    expect([...tags].sort()).toEqual(['a', 'b', 'c', 'd']);
    const cities = await people.distinct('city', { age: { $lt: 40 } });
    expect([...cities].sort()).toEqual(['Bergen', 'Oslo', 'Trondheim']);
  });

  it('distinct over a path through an array of documents', async () => {
    const kinds = await people.distinct('grades.kind');
    expect([...kinds].sort()).toEqual(['exam', 'quiz']);
    const ages = await people.distinct('age');
    // null is a distinct value of its own when present.
    expect(ages).toHaveLength(4);
    expect(ages).toContain(null);
  });

  it('distinct treats numerically equal values of different types as one', async () => {
    const c = db.collection('distinct_numbers');
    await c.insertMany([{ v: 1 }, { v: 1.0 }, { v: 2 }, { v: [2, 3] }]);
    const vs = await c.distinct('v');
    expect([...vs].sort()).toEqual([1, 2, 3]);
  });
});
