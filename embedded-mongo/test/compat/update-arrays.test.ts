/**
 * Array update operators: $push ($each, $slice, $sort, $position), $addToSet ($each), $pop, $pull,
 * $pullAll, and the positional forms `$`, `$[]` and `$[<id>]` with arrayFilters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_update_arrays');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

let seq = 0;
async function apply(doc: any, update: any, options: any = {}, filter: any = { _id: 1 }) {
  const c = db.collection<any>(`a${++seq}`);
  await c.insertOne({ _id: 1, ...doc });
  const r = await c.updateOne(filter, update, options);
  return { doc: await c.findOne({ _id: 1 }), r };
}
const after = async (doc: any, update: any, options: any = {}, filter: any = { _id: 1 }) =>
  (await apply(doc, update, options, filter)).doc;

describe('$push', { timeout: 20_000 }, () => {
  it('appends one value, creating the array if missing; pushes an array as one element', async () => {
    expect(await after({ a: [1] }, { $push: { a: 2 } })).toEqual({ _id: 1, a: [1, 2] });
    expect(await after({}, { $push: { a: 1 } })).toEqual({ _id: 1, a: [1] });
    expect(await after({ a: [1] }, { $push: { a: [2, 3] } })).toEqual({ _id: 1, a: [1, [2, 3]] });
  });

  it('$each appends several values', async () => {
    expect(await after({ a: [1] }, { $push: { a: { $each: [2, 3] } } })).toEqual({ _id: 1, a: [1, 2, 3] });
  });

  it('$position inserts at an index (negative counts from the end)', async () => {
    expect(await after({ a: [1, 4] }, { $push: { a: { $each: [2, 3], $position: 1 } } })).toEqual({ _id: 1, a: [1, 2, 3, 4] });
    expect(await after({ a: [1, 4] }, { $push: { a: { $each: [0], $position: 0 } } })).toEqual({ _id: 1, a: [0, 1, 4] });
    expect(await after({ a: [1, 2, 4] }, { $push: { a: { $each: [3], $position: -1 } } })).toEqual({ _id: 1, a: [1, 2, 3, 4] });
  });

  it('$slice keeps the first or last n after pushing', async () => {
    expect(await after({ a: [1, 2, 3] }, { $push: { a: { $each: [4, 5], $slice: -3 } } })).toEqual({ _id: 1, a: [3, 4, 5] });
    expect(await after({ a: [1, 2, 3] }, { $push: { a: { $each: [4], $slice: 2 } } })).toEqual({ _id: 1, a: [1, 2] });
    expect(await after({ a: [1, 2] }, { $push: { a: { $each: [], $slice: 0 } } })).toEqual({ _id: 1, a: [] });
  });

  it('$sort orders values or documents by a field, then $slice trims', async () => {
    expect(await after({ a: [3, 1] }, { $push: { a: { $each: [2], $sort: -1 } } })).toEqual({ _id: 1, a: [3, 2, 1] });
    const scores = { s: [{ n: 'a', v: 7 }, { n: 'b', v: 9 }] };
    expect(await after(scores, { $push: { s: { $each: [{ n: 'c', v: 8 }], $sort: { v: -1 }, $slice: 2 } } })).toEqual({
      _id: 1,
      s: [{ n: 'b', v: 9 }, { n: 'c', v: 8 }],
    });
  });

  it('$push onto a non-array fails', async () => {
    const c = db.collection<any>('push_scalar');
    await c.insertOne({ _id: 1, a: 5 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $push: { a: 1 } } as any));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
  });
});

describe('$addToSet, $pop, $pull, $pullAll', { timeout: 20_000 }, () => {
  it('$addToSet adds only missing values; $each adds several; documents compare whole', async () => {
    const r = await apply({ a: [1, 2] }, { $addToSet: { a: 2 } });
    expect(r.doc).toEqual({ _id: 1, a: [1, 2] });
    expect(r.r.modifiedCount).toBe(0);
    expect(await after({ a: [1, 2] }, { $addToSet: { a: { $each: [2, 3, 3, 4] } } })).toEqual({ _id: 1, a: [1, 2, 3, 4] });
    expect(await after({ a: [{ x: 1, y: 2 }] }, { $addToSet: { a: { y: 2, x: 1 } } })).toEqual({ _id: 1, a: [{ x: 1, y: 2 }, { y: 2, x: 1 }] });
    expect(await after({}, { $addToSet: { a: 'v' } })).toEqual({ _id: 1, a: ['v'] });
  });

  it('$pop removes the last (1) or first (-1) element', async () => {
    expect(await after({ a: [1, 2, 3] }, { $pop: { a: 1 } })).toEqual({ _id: 1, a: [1, 2] });
    expect(await after({ a: [1, 2, 3] }, { $pop: { a: -1 } })).toEqual({ _id: 1, a: [2, 3] });
  });

  it('$pull removes values equal to a value or matching a condition', async () => {
    expect(await after({ a: [1, 2, 1, 3] }, { $pull: { a: 1 } })).toEqual({ _id: 1, a: [2, 3] });
    expect(await after({ a: [1, 5, 8, 2] }, { $pull: { a: { $gte: 5 } } })).toEqual({ _id: 1, a: [1, 2] });
    expect(await after({ a: [1, 5, 8, 2] }, { $pull: { a: { $in: [1, 8] } } })).toEqual({ _id: 1, a: [5, 2] });
    const items = { items: [{ k: 'a', q: 1 }, { k: 'b', q: 0 }, { k: 'c', q: 0 }] };
    // On documents the condition is a query applied to each element.
    expect(await after(items, { $pull: { items: { q: 0 } } })).toEqual({ _id: 1, items: [{ k: 'a', q: 1 }] });
  });

  it('$pullAll removes every occurrence of the listed values', async () => {
    expect(await after({ a: [0, 2, 5, 5, 1, 0] }, { $pullAll: { a: [0, 5] } })).toEqual({ _id: 1, a: [2, 1] });
  });
});

describe('positional updates', { timeout: 20_000 }, () => {
  const grades = { grades: [{ g: 80, m: 1 }, { g: 85, m: 2 }, { g: 85, m: 3 }, { g: 90, m: 4 }] };

  it('`$` updates the first element matched by the query', async () => {
    expect(await after({ a: [1, 2, 3, 2] }, { $set: { 'a.$': 20 } }, {}, { _id: 1, a: 2 })).toEqual({ _id: 1, a: [1, 20, 3, 2] });
    expect(await after(grades, { $inc: { 'grades.$.m': 100 } }, {}, { _id: 1, 'grades.g': 85 })).toEqual({
      _id: 1,
      grades: [{ g: 80, m: 1 }, { g: 85, m: 102 }, { g: 85, m: 3 }, { g: 90, m: 4 }],
    });
    expect(
      await after(grades, { $set: { 'grades.$.flag': true } }, {}, { _id: 1, grades: { $elemMatch: { g: 85, m: 3 } } }),
    ).toEqual({ _id: 1, grades: [{ g: 80, m: 1 }, { g: 85, m: 2 }, { g: 85, m: 3, flag: true }, { g: 90, m: 4 }] });
  });

  it('`$` without a matching array condition in the query fails', async () => {
    const c = db.collection<any>('positional_no_match');
    await c.insertOne({ _id: 1, a: [1, 2] });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { 'a.$': 5 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
  });

  it('`$[]` updates every element, including nested arrays', async () => {
    expect(await after({ a: [1, 2, 3] }, { $inc: { 'a.$[]': 10 } })).toEqual({ _id: 1, a: [11, 12, 13] });
    expect(await after(grades, { $set: { 'grades.$[].seen': true } })).toEqual({
      _id: 1,
      grades: grades.grades.map((x) => ({ ...x, seen: true })),
    });
    expect(await after({ m: [[1, 2], [3]] }, { $mul: { 'm.$[].$[]': 2 } })).toEqual({ _id: 1, m: [[2, 4], [6]] });
  });

  it('`$[<id>]` updates the elements selected by arrayFilters', async () => {
    expect(await after({ a: [1, 5, 8, 2] }, { $set: { 'a.$[big]': 0 } }, { arrayFilters: [{ big: { $gte: 5 } }] })).toEqual({
      _id: 1,
      a: [1, 0, 0, 2],
    });
    expect(
      await after(grades, { $inc: { 'grades.$[e].m': 10 } }, { arrayFilters: [{ 'e.g': 85 }] }),
    ).toEqual({ _id: 1, grades: [{ g: 80, m: 1 }, { g: 85, m: 12 }, { g: 85, m: 13 }, { g: 90, m: 4 }] });
  });

  it('arrayFilters on nested arrays with two identifiers', async () => {
    const doc = {
      orders: [
        { id: 'o1', lines: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }] },
        { id: 'o2', lines: [{ sku: 'x', qty: 3 }] },
      ],
    };
    const out = await after(doc, { $set: { 'orders.$[o].lines.$[l].qty': 0 } }, { arrayFilters: [{ 'o.id': 'o2' }, { 'l.sku': 'x' }] });
    expect(out).toEqual({
      _id: 1,
      orders: [
        { id: 'o1', lines: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }] },
        { id: 'o2', lines: [{ sku: 'x', qty: 0 }] },
      ],
    });
  });

  it('an arrayFilters identifier that the update does not use is an error', async () => {
    const c = db.collection<any>('unused_filter');
    await c.insertOne({ _id: 1, a: [1] });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { 'a.$[x]': 1 } }, { arrayFilters: [{ x: 1 }, { y: 2 }] }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(9);
  });

  it('updateMany with `$[]` across documents', async () => {
    const c = db.collection<any>('many_all_positional');
    await c.insertMany([{ _id: 1, a: [1, 2] }, { _id: 2, a: [3] }, { _id: 3, a: [] }]);
    const r = await c.updateMany({}, { $inc: { 'a.$[]': 1 } });
    expect(r.matchedCount).toBe(3);
    expect(r.modifiedCount).toBe(2);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, a: [2, 3] }, { _id: 2, a: [4] }, { _id: 3, a: [] }]);
  });
});
