/**
 * Field update operators: $set $unset $inc $mul $min $max $rename $currentDate $setOnInsert,
 * nested paths creating intermediate documents, and the errors MongoDB raises for bad updates.
 * Array operators live in update-arrays.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Double, Int32, MongoServerError, Timestamp, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_update_ops');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

let seq = 0;
/** Inserts `doc` as _id 1 of a new collection, applies `update`, returns the stored document. */
async function apply(doc: any, update: any, options: any = {}) {
  const c = db.collection<any>(`u${++seq}`);
  await c.insertOne({ _id: 1, ...doc });
  await c.updateOne({ _id: 1 }, update, options);
  return c.findOne({ _id: 1 });
}

describe('field operators', { timeout: 20_000 }, () => {
  it('$set sets top-level and nested fields, creating intermediate documents', async () => {
    expect(await apply({ a: 1 }, { $set: { a: 2, b: 'x' } })).toEqual({ _id: 1, a: 2, b: 'x' });
    expect(await apply({}, { $set: { 'x.y.z': 1 } })).toEqual({ _id: 1, x: { y: { z: 1 } } });
    expect(await apply({ x: { keep: true } }, { $set: { 'x.y': 2 } })).toEqual({ _id: 1, x: { keep: true, y: 2 } });
  });

  it('$set on an array index replaces that element and pads with null past the end', async () => {
    expect(await apply({ arr: [1, 2, 3] }, { $set: { 'arr.1': 20 } })).toEqual({ _id: 1, arr: [1, 20, 3] });
    expect(await apply({ arr: [1] }, { $set: { 'arr.3': 4 } })).toEqual({ _id: 1, arr: [1, null, null, 4] });
    expect(await apply({ arr: [{ a: 1 }, { a: 2 }] }, { $set: { 'arr.1.a': 5 } })).toEqual({ _id: 1, arr: [{ a: 1 }, { a: 5 }] });
  });

  it('$set through a scalar fails (cannot create field in a non-document)', async () => {
    const c = db.collection<any>('set_through_scalar');
    await c.insertOne({ _id: 1, a: 5 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { 'a.b': 1 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(28);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 5 });
  });

  it('$unset removes fields (nested too); unsetting an array index leaves null', async () => {
    expect(await apply({ a: 1, b: 2 }, { $unset: { a: '' } })).toEqual({ _id: 1, b: 2 });
    expect(await apply({ x: { y: 1, z: 2 } }, { $unset: { 'x.y': 1 } })).toEqual({ _id: 1, x: { z: 2 } });
    expect(await apply({ arr: [1, 2, 3] }, { $unset: { 'arr.1': '' } })).toEqual({ _id: 1, arr: [1, null, 3] });
  });

  it('$inc adds (creating a missing field) and accepts negatives and doubles', async () => {
    expect(await apply({ n: 5 }, { $inc: { n: 2, m: 3, 'deep.k': -1 } })).toEqual({ _id: 1, n: 7, m: 3, deep: { k: -1 } });
    expect(await apply({ n: 1.5 }, { $inc: { n: 0.25 } })).toEqual({ _id: 1, n: 1.75 });
  });

  it('$inc on a non-number fails with TypeMismatch (14)', async () => {
    const c = db.collection<any>('inc_string');
    await c.insertOne({ _id: 1, s: 'x' });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $inc: { s: 1 } }));
    expect(err.code).toBe(14);
  });

  it('$mul multiplies; a missing field becomes 0', async () => {
    expect(await apply({ p: 2.5 }, { $mul: { p: 4, q: 10 } })).toEqual({ _id: 1, p: 10, q: 0 });
  });

  it('$min and $max only change when the new value is lower / higher (or the field is missing)', async () => {
    expect(await apply({ lo: 5, hi: 5 }, { $min: { lo: 3, hi: 9 } })).toEqual({ _id: 1, lo: 3, hi: 5 });
    expect(await apply({ lo: 5, hi: 5 }, { $max: { lo: 3, hi: 9, nw: 1 } })).toEqual({ _id: 1, lo: 5, hi: 9, nw: 1 });
    const d = new Date('2020-01-01T00:00:00Z');
    expect(await apply({ at: new Date('2021-01-01T00:00:00Z') }, { $min: { at: d } })).toEqual({ _id: 1, at: d });
  });

  it('$rename moves a field, including into and out of embedded documents', async () => {
    expect(await apply({ a: 1, b: 2 }, { $rename: { a: 'c' } })).toEqual({ _id: 1, b: 2, c: 1 });
    expect(await apply({ a: 1 }, { $rename: { a: 'x.y' } })).toEqual({ _id: 1, x: { y: 1 } });
    expect(await apply({ x: { y: 1 } }, { $rename: { 'x.y': 'z' } })).toEqual({ _id: 1, x: {}, z: 1 });
    // Renaming a missing field is a no-op.
    expect(await apply({ a: 1 }, { $rename: { nope: 'b' } })).toEqual({ _id: 1, a: 1 });
  });

  it('$currentDate sets a Date by default or a Timestamp on request', async () => {
    const before = Date.now();
    const doc = await apply({}, { $currentDate: { d: true, t: { $type: 'timestamp' }, dd: { $type: 'date' } } });
    expect(doc!.d).toBeInstanceOf(Date);
    expect(doc!.dd).toBeInstanceOf(Date);
    expect(doc!.d.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(doc!.d.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(doc!.t).toBeInstanceOf(Timestamp);
  });

  it('$setOnInsert does nothing on an update that matches', async () => {
    expect(await apply({ a: 1 }, { $setOnInsert: { b: 2 }, $set: { c: 3 } }, { upsert: true })).toEqual({ _id: 1, a: 1, c: 3 });
  });

  it('several operators in one update apply together', async () => {
    expect(
      await apply({ a: 1, b: 2, c: 3, list: [1] }, { $set: { a: 10 }, $unset: { b: '' }, $inc: { c: 1 }, $push: { list: 2 } }),
    ).toEqual({ _id: 1, a: 10, c: 4, list: [1, 2] });
  });

  it('$inc and $mul keep the integer type when the result fits, and a double operand gives a double', async () => {
    const c = db.collection<any>('num_types');
    await c.insertOne({ _id: 1, i: new Int32(2), d: new Double(2) });
    await c.updateOne({ _id: 1 }, { $inc: { i: new Int32(3), d: new Int32(3) } });
    expect(await c.countDocuments({ i: { $type: 'int' } })).toBe(1);
    expect(await c.countDocuments({ d: { $type: 'double' } })).toBe(1);
    await c.updateOne({ _id: 1 }, { $mul: { i: new Double(1.5) } });
    const doc = await c.findOne({ _id: 1 }, { promoteValues: false });
    expect(doc!.i).toBeInstanceOf(Double);
    expect(doc!.i.valueOf()).toBe(7.5);
  });
});

describe('update errors', { timeout: 20_000 }, () => {
  it('two operators on the same path conflict (ConflictingUpdateOperators, 40)', async () => {
    const c = db.collection<any>('conflict');
    await c.insertOne({ _id: 1, a: 1 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } }));
    expect(err.code).toBe(40);
    const err2 = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { a: 2, 'a.b': 1 } }));
    expect(err2.code).toBe(40);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
  });

  it('an unknown update operator fails, naming it', async () => {
    const c = db.collection<any>('unknown_op');
    await c.insertOne({ _id: 1 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $frobnicate: { a: 1 } } as any));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(9);
    expect(err.message).toContain('$frobnicate');
  });

  it('a failing updateMany is not half-applied to the failing document', async () => {
    const c = db.collection<any>('partial');
    await c.insertMany([{ _id: 1, n: 1 }, { _id: 2, n: 'text' }]);
    await rejectionOf(c.updateMany({}, { $inc: { n: 1 } }));
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, n: 'text' });
  });
});
