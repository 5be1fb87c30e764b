/**
 * Unique indexes and the duplicate key error shape (code 11000, keyPattern, keyValue): single,
 * compound, sparse, partial (partialFilterExpression), multikey, and building over existing data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_unique_indexes');
  db = ctx.db;
}, 30_000);
afterAll(async () => ctx?.close());

describe('unique indexes', { timeout: 20_000 }, () => {
  it('a duplicate insert fails with code 11000, keyPattern and keyValue, naming the index', async () => {
    const c = db.collection<any>('users');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1, email: 'a@x.io' });
    const err = await rejectionOf(c.insertOne({ _id: 2, email: 'a@x.io' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.io' });
    expect(err.message).toContain('E11000 duplicate key error collection: compat_unique_indexes.users index: email_1 dup key:');
    expect(await c.countDocuments()).toBe(1);
  });

  it('an update or upsert that would create a duplicate fails the same way and changes nothing', async () => {
    const c = db.collection<any>('users_upd');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);
    const err = await rejectionOf(c.updateOne({ _id: 2 }, { $set: { email: 'a' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a' });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, email: 'b' });
    const err2 = await rejectionOf(c.updateOne({ _id: 3 }, { $set: { email: 'b' } }, { upsert: true }));
    expect(err2.code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
    // Swapping to a free value works and frees the old one.
    await c.updateOne({ _id: 2 }, { $set: { email: 'c' } });
    await c.insertOne({ _id: 4, email: 'b' });
  });

  it('missing fields count as null: a second document without the field is a duplicate', async () => {
    const c = db.collection<any>('unique_missing');
    await c.createIndex({ code: 1 }, { unique: true });
    await c.insertOne({ _id: 1 });
    const err = await rejectionOf(c.insertOne({ _id: 2 }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: null });
  });

  it('compound unique: only the full key combination must be unique', async () => {
    const c = db.collection<any>('compound');
    await c.createIndex({ org: 1, slug: 1 }, { unique: true });
    await c.insertMany([{ org: 'o1', slug: 's' }, { org: 'o2', slug: 's' }, { org: 'o1', slug: 't' }]);
    const err = await rejectionOf(c.insertOne({ org: 'o1', slug: 's' }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ org: 1, slug: 1 });
    expect(err.keyValue).toEqual({ org: 'o1', slug: 's' });
  });

  it('unique compares numbers by value across types', async () => {
    const c = db.collection<any>('unique_numbers');
    await c.createIndex({ n: 1 }, { unique: true });
    await c.insertOne({ n: 1 });
    expect((await rejectionOf(c.insertOne({ n: 1.0 }))).code).toBe(11000);
    await c.insertOne({ n: '1' });
  });

  it('sparse unique: any number of documents without the field, duplicates of present values fail', async () => {
    const c = db.collection<any>('sparse');
    await c.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, handle: 'h' }]);
    const err = await rejectionOf(c.insertOne({ _id: 4, handle: 'h' }));
    expect(err.code).toBe(11000);
    // A sparse index does index explicit nulls.
    await c.insertOne({ _id: 5, handle: null });
    expect((await rejectionOf(c.insertOne({ _id: 6, handle: null }))).code).toBe(11000);
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'handle_1');
    expect(spec).toMatchObject({ unique: true, sparse: true });
  });

  it('partial unique: duplicates allowed outside the filter, rejected inside it', async () => {
    const c = db.collection<any>('partial');
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
    await c.insertMany([
      { _id: 1, email: 'a', status: 'deleted' },
      { _id: 2, email: 'a', status: 'deleted' },
      { _id: 3, email: 'a', status: 'active' },
      { _id: 4, email: 'a' },
    ]);
    const err = await rejectionOf(c.insertOne({ _id: 5, email: 'a', status: 'active' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a' });
    // Moving a document into the filter can violate; moving it out frees the value.
    expect((await rejectionOf(c.updateOne({ _id: 1 }, { $set: { status: 'active' } }))).code).toBe(11000);
    await c.updateOne({ _id: 3 }, { $set: { status: 'deleted' } });
    await c.updateOne({ _id: 1 }, { $set: { status: 'active' } });
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'email_1');
    expect(spec!.partialFilterExpression).toEqual({ status: 'active' });
  });

  it('partial unique with $exists and $gt filters', async () => {
    const c = db.collection<any>('partial_ops');
    await c.createIndex({ ref: 1 }, { unique: true, partialFilterExpression: { ref: { $exists: true }, n: { $gt: 5 } } });
    await c.insertMany([{ ref: 'r', n: 1 }, { ref: 'r', n: 2 }, { n: 10 }, { n: 11 }, { ref: 'r', n: 6 }]);
    expect((await rejectionOf(c.insertOne({ ref: 'r', n: 7 }))).code).toBe(11000);
  });

  it('multikey unique: values repeated inside one document are fine, shared across documents are not', async () => {
    const c = db.collection<any>('multikey_unique');
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ _id: 1, tags: ['a', 'a', 'b'] });
    const err = await rejectionOf(c.insertOne({ _id: 2, tags: ['c', 'b'] }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ tags: 'b' });
    await c.insertOne({ _id: 3, tags: ['c'] });
  });

  it('building a unique index over existing duplicates fails and leaves no index', async () => {
    const c = db.collection<any>('build_dups');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await rejectionOf(c.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('unordered insertMany reports each duplicate against a secondary unique index', async () => {
    const c = db.collection<any>('bulk_unique');
    await c.createIndex({ u: 1 }, { unique: true });
    const err = await rejectionOf(c.insertMany([{ u: 1 }, { u: 1 }, { u: 2 }, { u: 2 }, { u: 3 }], { ordered: false }));
    expect(err.writeErrors.map((e: any) => e.index)).toEqual([1, 3]);
    expect(await c.countDocuments()).toBe(3);
    // The driver keeps only code/errmsg/errInfo of each write error; the raw insert reply shows that
    // the server's write errors carry keyPattern and keyValue like a single-document duplicate.
    const raw = await db.command({ insert: 'bulk_unique', documents: [{ u: 9 }, { u: 2 }], ordered: false });
    expect(raw.n).toBe(1);
    expect(raw.writeErrors).toHaveLength(1);
    expect(raw.writeErrors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { u: 1 }, keyValue: { u: 2 } });
  });
});
