/**
 * insertOne / insertMany, ordered and unordered, with duplicate _id errors: which documents land,
 * and how the driver reports the failing indexes (MongoBulkWriteError.writeErrors[].index).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoBulkWriteError, MongoServerError, ObjectId, type Db } from 'mongodb';
import { eventually, openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_crud_insert');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

describe('insertOne', { timeout: 20_000 }, () => {
  it('generates an ObjectId _id when none is given and returns it', async () => {
    const c = db.collection('gen_id');
    const res = await c.insertOne({ name: 'a' });
    expect(res.acknowledged).toBe(true);
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const back = await c.findOne({ _id: res.insertedId });
    expect(back).toEqual({ _id: res.insertedId, name: 'a' });
  });

  it('keeps a caller-chosen _id of any type (string, number, object)', async () => {
    const c = db.collection('own_id');
    await c.insertOne({ _id: 'alpha' as any, v: 1 });
    await c.insertOne({ _id: 7 as any, v: 2 });
    await c.insertOne({ _id: { k: 1, j: 2 } as any, v: 3 });
    expect(await c.findOne({ _id: 'alpha' as any })).toEqual({ _id: 'alpha', v: 1 });
    expect(await c.findOne({ _id: 7 as any })).toEqual({ _id: 7, v: 2 });
    expect(await c.findOne({ _id: { k: 1, j: 2 } as any })).toEqual({ _id: { k: 1, j: 2 }, v: 3 });
    // Embedded documents match by exact field order.
    expect(await c.findOne({ _id: { j: 2, k: 1 } as any })).toBeNull();
  });

  it('rejects a duplicate _id with E11000 on the _id_ index', async () => {
    const c = db.collection('dup_one');
    await c.insertOne({ _id: 1 as any });
    const err = await rejectionOf(c.insertOne({ _id: 1 as any, x: 2 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.message).toMatch(/E11000 duplicate key error/);
    expect(err.message).toMatch(/_id_/);
    expect(err.keyValue).toEqual({ _id: 1 });
    expect(await c.countDocuments()).toBe(1);
  });

  it('unacknowledged writes (w: 0, sent with moreToCome) are applied', async () => {
    const c = db.collection('unacknowledged');
    const res = await c.insertOne({ _id: 'w0' as any, v: 1 }, { writeConcern: { w: 0 } });
    expect(res.acknowledged).toBe(false);
    await c.updateOne({ _id: 'w0' as any }, { $set: { v: 2 } }, { writeConcern: { w: 0 } });
    // No reply is sent, so poll: the pool may read on another connection.
    expect(await eventually(async () => (await c.findOne({ _id: 'w0' as any }))?.v === 2, 5_000, 50)).toBe(true);
  });

  it('creates the collection implicitly', async () => {
    await db.collection('implicit_create').insertOne({ a: 1 });
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain('implicit_create');
  });
});

describe('insertMany', { timeout: 20_000 }, () => {
  it('inserts all documents and returns insertedIds keyed by position', async () => {
    const c = db.collection('many_ok');
    const res = await c.insertMany([{ n: 0 }, { n: 1 }, { _id: 'x' as any, n: 2 }]);
    expect(res.insertedCount).toBe(3);
    expect(Object.keys(res.insertedIds)).toEqual(['0', '1', '2']);
    expect(res.insertedIds[2]).toBe('x');
    expect(await c.countDocuments()).toBe(3);
  });

  it('ordered: stops at the first error; earlier documents stay inserted', async () => {
    const c = db.collection('many_ordered');
    await c.insertOne({ _id: 3 as any });
    const err = await rejectionOf(
      c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }, { _id: 5 }] as any[], { ordered: true }),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.code).toBe(11000);
    expect(err.writeErrors.map((e: any) => e.index)).toEqual([2]);
    expect(err.writeErrors[0].code).toBe(11000);
    expect(err.insertedCount).toBe(2);
    const ids = (await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('unordered: continues past errors, reports every failing index, inserts the rest', async () => {
    const c = db.collection('many_unordered');
    await c.insertMany([{ _id: 2 }, { _id: 4 }] as any[]);
    const err = await rejectionOf(
      c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }, { _id: 5 }, { _id: 5 }] as any[], { ordered: false }),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.writeErrors.map((e: any) => e.index).sort()).toEqual([1, 3, 5]);
    for (const we of err.writeErrors) expect(we.code).toBe(11000);
    expect(err.insertedCount).toBe(3);
    const ids = (await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it('an insertMany larger than one 48 MB message is split by the driver and fully inserted', async () => {
    const c = db.collection('big_batch');
    const pad = 'x'.repeat(1000);
    const docs = Array.from({ length: 60_000 }, (_, i) => ({ _id: i, pad }));
    const res = await c.insertMany(docs as any[]);
    expect(res.insertedCount).toBe(60_000);
    expect(await c.countDocuments()).toBe(60_000);
    await c.drop();
  }, 60_000);

  it('rejects an empty batch on the client without touching the server', async () => {
    const c = db.collection('many_empty');
    await expect(c.insertMany([])).rejects.toThrow();
  });
});
