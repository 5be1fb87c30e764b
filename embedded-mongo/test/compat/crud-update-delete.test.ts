/**
 * updateOne/Many, replaceOne, deleteOne/Many, findOneAndUpdate/Replace/Delete, bulkWrite,
 * upserts (seeded from the equality filter, plus $setOnInsert), modifiedCount 0 for no-ops,
 * and the immutable _id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_crud_update');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

async function fresh(name: string, docs: any[]) {
  const c = db.collection<any>(name);
  await c.deleteMany({});
  if (docs.length) await c.insertMany(docs);
  return c;
}

describe('updateOne / updateMany / replaceOne', { timeout: 20_000 }, () => {
  it('updateOne changes only the first match; updateMany changes all', async () => {
    const c = await fresh('upd', [{ _id: 1, g: 'a', n: 0 }, { _id: 2, g: 'a', n: 0 }, { _id: 3, g: 'b', n: 0 }]);
    const one = await c.updateOne({ g: 'a' }, { $inc: { n: 1 } });
    expect(one).toMatchObject({ acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    const many = await c.updateMany({ g: 'a' }, { $inc: { n: 10 } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const ns = (await c.find().sort({ _id: 1 }).toArray()).map((d) => d.n);
    expect(ns[0] + ns[1]).toBe(21);
    expect(ns[2]).toBe(0);
  });

  it('no match: matchedCount 0 and nothing inserted without upsert', async () => {
    const c = await fresh('upd_nomatch', [{ _id: 1 }]);
    const r = await c.updateOne({ _id: 99 }, { $set: { x: 1 } });
    expect(r).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
    expect(await c.countDocuments()).toBe(1);
  });

  it('a no-op update matches but reports modifiedCount 0', async () => {
    const c = await fresh('upd_noop', [{ _id: 1, a: 5, b: { c: [1, 2] } }]);
    expect(await c.updateOne({ _id: 1 }, { $set: { a: 5 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await c.updateOne({ _id: 1 }, { $set: { b: { c: [1, 2] } } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await c.updateOne({ _id: 1 }, { $unset: { missing: '' } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await c.updateOne({ _id: 1 }, { $max: { a: 3 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await c.updateMany({}, { $set: { a: 5 } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect(await c.replaceOne({ _id: 1 }, { a: 5, b: { c: [1, 2] } })).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('replaceOne replaces the whole document but keeps _id', async () => {
    const c = await fresh('repl', [{ _id: 1, a: 1, b: 2 }]);
    const r = await c.replaceOne({ a: 1 }, { c: 3 });
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
  });

  it('an update pipeline (array of stages) is accepted', async () => {
    const c = await fresh('upd_pipeline', [{ _id: 1, a: 2, b: 3 }]);
    await c.updateOne({ _id: 1 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 2, b: 3, sum: 5 });
  });
});

describe('_id is immutable', { timeout: 20_000 }, () => {
  it('$set on _id fails with ImmutableField (66) and changes nothing', async () => {
    const c = await fresh('immut', [{ _id: 1, a: 1 }]);
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { _id: 2, a: 2 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(66);
    expect(err.message).toMatch(/_id/);
    expect(await c.findOne({})).toEqual({ _id: 1, a: 1 });
  });

  it('$set of _id to its current value is not a modification and is allowed', async () => {
    const c = await fresh('immut_same', [{ _id: 1, a: 1 }]);
    expect(await c.updateOne({ _id: 1 }, { $set: { _id: 1, a: 5 } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({})).toEqual({ _id: 1, a: 5 });
  });

  it('an upsert may take its _id from $setOnInsert', async () => {
    const c = await fresh('upsert_id_soi', []);
    const r = await c.updateOne({ email: 'z' }, { $setOnInsert: { _id: 'chosen' }, $set: { v: 1 } }, { upsert: true });
    expect(r.upsertedId).toBe('chosen');
    expect(await c.findOne({ _id: 'chosen' })).toEqual({ _id: 'chosen', email: 'z', v: 1 });
  });

  it('a replacement with a different _id fails with 66; the same _id is fine', async () => {
    const c = await fresh('immut_repl', [{ _id: 1, a: 1 }]);
    const err = await rejectionOf(c.replaceOne({ _id: 1 }, { _id: 2, a: 2 }));
    expect(err.code).toBe(66);
    await c.replaceOne({ _id: 1 }, { _id: 1, a: 3 });
    expect(await c.findOne({})).toEqual({ _id: 1, a: 3 });
  });
});

describe('upsert', { timeout: 20_000 }, () => {
  it('seeds the new document from equality conditions, then applies the update and $setOnInsert', async () => {
    const c = await fresh('ups', []);
    const r = await c.updateOne(
      { email: 'a@x.io', 'profile.tier': 'gold', age: { $gt: 20 }, $and: [{ region: 'eu' }] },
      { $set: { name: 'A' }, $setOnInsert: { createdBy: 'upsert' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(r).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(r.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await c.findOne({ _id: r.upsertedId });
    // `age: {$gt}` is not an equality, so it is not copied; $and equalities are.
    expect(doc).toEqual({
      _id: r.upsertedId,
      email: 'a@x.io',
      profile: { tier: 'gold' },
      region: 'eu',
      name: 'A',
      createdBy: 'upsert',
      visits: 1,
    });
  });

  it('on a match, $setOnInsert is ignored and the update applies', async () => {
    const c = await fresh('ups_match', [{ _id: 1, email: 'b@x.io', visits: 1, createdBy: 'seed' }]);
    const r = await c.updateOne({ email: 'b@x.io' }, { $setOnInsert: { createdBy: 'upsert' }, $inc: { visits: 1 } }, { upsert: true });
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, email: 'b@x.io', visits: 2, createdBy: 'seed' });
  });

  it('takes _id from the filter; $in is not an equality seed', async () => {
    const c = await fresh('ups_id', []);
    const r = await c.updateOne({ _id: 'k1', kind: { $in: ['x', 'y'] } }, { $set: { v: 1 } }, { upsert: true });
    expect(r.upsertedId).toBe('k1');
    expect(await c.findOne({ _id: 'k1' })).toEqual({ _id: 'k1', v: 1 });
  });

  it('replaceOne with upsert uses the filter _id and the replacement fields only', async () => {
    const c = await fresh('ups_repl', []);
    const r = await c.replaceOne({ _id: 5, a: 1 }, { b: 2 }, { upsert: true });
    expect(r.upsertedId).toBe(5);
    expect(await c.findOne({ _id: 5 })).toEqual({ _id: 5, b: 2 });
  });

  it('updateMany with upsert inserts a single document when nothing matches', async () => {
    const c = await fresh('ups_many', []);
    const r = await c.updateMany({ group: 'g' }, { $set: { flag: true } }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    expect(await c.countDocuments({ group: 'g', flag: true })).toBe(1);
  });
});

describe('delete', { timeout: 20_000 }, () => {
  it('deleteOne removes one match, deleteMany all matches', async () => {
    const c = await fresh('del', [{ _id: 1, g: 'a' }, { _id: 2, g: 'a' }, { _id: 3, g: 'a' }, { _id: 4, g: 'b' }]);
    expect(await c.deleteOne({ g: 'a' })).toEqual({ acknowledged: true, deletedCount: 1 });
    expect(await c.deleteMany({ g: 'a' })).toEqual({ acknowledged: true, deletedCount: 2 });
    expect(await c.deleteMany({ g: 'zzz' })).toEqual({ acknowledged: true, deletedCount: 0 });
    expect((await c.find().toArray()).map((d) => d._id)).toEqual([4]);
    expect(await c.deleteMany({})).toEqual({ acknowledged: true, deletedCount: 1 });
  });
});

describe('findOneAndUpdate / Replace / Delete', { timeout: 20_000 }, () => {
  it('returns the document before (default) or after the update', async () => {
    const c = await fresh('fam', [{ _id: 1, n: 1 }]);
    expect(await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } })).toEqual({ _id: 1, n: 1 });
    expect(await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: 'after' })).toEqual({ _id: 1, n: 3 });
    expect(await c.findOneAndUpdate({ _id: 2 }, { $inc: { n: 1 } })).toBeNull();
  });

  it('sort chooses which document is modified; projection shapes the result', async () => {
    const c = await fresh('fam_sort', [{ _id: 1, p: 5 }, { _id: 2, p: 9 }, { _id: 3, p: 7 }]);
    const r = await c.findOneAndUpdate({}, { $set: { taken: true } }, { sort: { p: -1 }, returnDocument: 'after', projection: { _id: 1, taken: 1 } });
    expect(r).toEqual({ _id: 2, taken: true });
  });

  it('upsert with returnDocument after returns the inserted document; before returns null', async () => {
    const c = await fresh('fam_upsert', []);
    const after = await c.findOneAndUpdate({ key: 'a' }, { $set: { v: 1 }, $setOnInsert: { fresh: true } }, { upsert: true, returnDocument: 'after' });
    expect(after).toMatchObject({ key: 'a', v: 1, fresh: true });
    const before = await c.findOneAndUpdate({ key: 'b' }, { $set: { v: 2 } }, { upsert: true, returnDocument: 'before' });
    expect(before).toBeNull();
    expect(await c.countDocuments()).toBe(2);
  });

  it('includeResultMetadata exposes lastErrorObject', async () => {
    const c = await fresh('fam_meta', [{ _id: 1, v: 0 }]);
    const existing = await c.findOneAndUpdate({ _id: 1 }, { $set: { v: 1 } }, { includeResultMetadata: true });
    expect(existing.ok).toBe(1);
    expect(existing.value).toEqual({ _id: 1, v: 0 });
    expect(existing.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    const upserted = await c.findOneAndUpdate({ _id: 2 }, { $set: { v: 1 } }, { includeResultMetadata: true, upsert: true });
    expect(upserted.value).toBeNull();
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 2 });
  });

  it('findOneAndReplace returns before/after and keeps _id', async () => {
    const c = await fresh('far', [{ _id: 1, a: 1 }]);
    expect(await c.findOneAndReplace({ a: 1 }, { b: 2 })).toEqual({ _id: 1, a: 1 });
    expect(await c.findOneAndReplace({ b: 2 }, { c: 3 }, { returnDocument: 'after' })).toEqual({ _id: 1, c: 3 });
    expect(await c.findOneAndReplace({ z: 1 }, { z: 2 }, { upsert: true, returnDocument: 'after' })).toMatchObject({ z: 2 });
  });

  it('findOneAndDelete removes and returns the first document in sort order', async () => {
    const c = await fresh('fad', [{ _id: 1, p: 2 }, { _id: 2, p: 1 }, { _id: 3, p: 3 }]);
    expect(await c.findOneAndDelete({}, { sort: { p: 1 } })).toEqual({ _id: 2, p: 1 });
    expect(await c.findOneAndDelete({ _id: 42 })).toBeNull();
    expect(await c.countDocuments()).toBe(2);
  });
});

describe('bulkWrite', { timeout: 20_000 }, () => {
  it('mixes operations and reports every count', async () => {
    const c = await fresh('bulk', [{ _id: 1, v: 1 }, { _id: 2, v: 2 }, { _id: 3, v: 3 }, { _id: 4, v: 4 }]);
    const r = await c.bulkWrite([
      { insertOne: { document: { _id: 10, v: 10 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 100 } } } },
      { updateMany: { filter: { v: { $in: [2, 3] } }, update: { $inc: { v: 1000 } } } },
      { updateOne: { filter: { _id: 20 }, update: { $set: { v: 20 } }, upsert: true } },
      { replaceOne: { filter: { _id: 4 }, replacement: { v: 40 } } },
      { deleteOne: { filter: { _id: 10 } } },
      { deleteMany: { filter: { v: { $gt: 1000 } } } },
    ]);
    expect(r.insertedCount).toBe(1);
    expect(r.matchedCount).toBe(4);
    expect(r.modifiedCount).toBe(4);
    expect(r.upsertedCount).toBe(1);
    expect(r.upsertedIds).toEqual({ 3: 20 });
    expect(r.deletedCount).toBe(3);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: 100 },
      { _id: 4, v: 40 },
      { _id: 20, v: 20 },
    ]);
  });

  it('unordered bulkWrite reports the failing operation index and applies the rest', async () => {
    const c = await fresh('bulk_err', [{ _id: 1 }]);
    const err = await rejectionOf(
      c.bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
          { updateOne: { filter: { _id: 2 }, update: { $set: { ok: true } } } },
        ],
        { ordered: false },
      ),
    );
    expect(err.writeErrors.map((e: any) => e.index)).toEqual([0]);
    expect(err.writeErrors[0].code).toBe(11000);
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, ok: true });
  });
});
