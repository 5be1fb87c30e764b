/**
 * Unsupported or invalid requests answer with a MongoDB error document naming the culprit, promptly
 * (never a hang): unknown command, unknown query / update / aggregation operators, bad namespaces.
 * Also the small admin commands the driver and Mongoose rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoServerError, ServerApiVersion, type Db } from 'mongodb';
import { openDb, rejectionOf, within, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_errors');
  db = ctx.db;
  await db.collection<any>('c').insertOne({ _id: 1, a: 1 });
}, 30_000);
afterAll(async () => ctx?.close());

const fails = (p: Promise<unknown>) => within(5_000, rejectionOf(p), 'the error reply');

describe('errors', { timeout: 20_000 }, () => {
  it('an unknown command: CommandNotFound (59) naming it', async () => {
    const err = await fails(db.command({ frobnicateTheDatabase: 1 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toContain('frobnicateTheDatabase');
  });

  it('an unknown query operator: BadValue (2) naming it', async () => {
    const err = await fails(db.collection('c').find({ a: { $frob: 1 } }).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
    expect(err.message).toContain('$frob');
  });

  it('an unknown top-level query operator names it', async () => {
    const err = await fails(db.collection('c').find({ $frobAll: [] } as any).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.message).toContain('$frobAll');
  });

  it('an unknown aggregation stage: 40324 naming it', async () => {
    const err = await fails(db.collection('c').aggregate([{ $frobStage: {} }]).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(40324);
    expect(err.message).toContain('$frobStage');
  });

  it('an unknown expression operator: InvalidPipelineOperator (168) naming it', async () => {
    const err = await fails(db.collection('c').aggregate([{ $project: { x: { $frobExpr: '$a' } } }]).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(168);
    expect(err.message).toContain('$frobExpr');
  });

  it('an unknown group accumulator names it', async () => {
    const err = await fails(db.collection('c').aggregate([{ $group: { _id: null, x: { $frobAcc: 1 } } }]).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.message).toContain('$frobAcc');
  });

  it('the connection stays usable after errors', async () => {
    await fails(db.command({ nope: 1 }));
    expect(await db.collection('c').countDocuments()).toBe(1);
  });

  it('field names starting with $ in inserted documents are rejected or stored verbatim, never interpreted', async () => {
    // MongoDB 5+ accepts $-prefixed field names in nested documents of inserts; it never evaluates them.
    await db.collection('dollar').insertOne({ _id: 1, nested: { $price: 5 } } as any);
    const back = await db.collection('dollar').findOne({ _id: 1 } as any);
    expect(back).toEqual({ _id: 1, nested: { $price: 5 } });
  });

  it('renameCollection onto an existing target fails unless dropTarget', async () => {
    await db.collection('ren_a').insertOne({ x: 1 });
    await db.collection('ren_b').insertOne({ y: 1 });
    const err = await fails(db.renameCollection('ren_a', 'ren_b'));
    expect(err.code).toBe(48);
    await db.renameCollection('ren_a', 'ren_b', { dropTarget: true });
    expect(await db.collection('ren_b').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ x: 1 }]);
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('ren_a');
  });

  it('createCollection of an existing collection fails with NamespaceExists (48)', async () => {
    await db.createCollection('exists_once');
    const err = await fails(db.createCollection('exists_once'));
    expect(err.code).toBe(48);
  });
});

describe('admin commands', { timeout: 20_000 }, () => {
  it('ping, hello (as a replica set primary), buildInfo', async () => {
    expect((await db.admin().ping()).ok).toBe(1);
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    const info = await db.admin().command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+/);
  });

  it('a client declaring the Stable API (serverApi v1) connects and works', async () => {
    const client = new MongoClient(ctx.uri, { serverApi: { version: ServerApiVersion.v1 }, serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const c = client.db('compat_errors').collection<any>('stable_api');
      await c.insertOne({ _id: 1, v: 'x' });
      expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, v: 'x' });
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('common read/write concern and read preference options are accepted', async () => {
    const client = new MongoClient(ctx.uri, {
      readPreference: 'secondaryPreferred',
      readConcernLevel: 'majority',
      w: 'majority',
      journal: true,
      retryReads: true,
      serverSelectionTimeoutMS: 5000,
    });
    try {
      await client.connect();
      const c = client.db('compat_errors').collection<any>('concerns');
      await c.insertOne({ _id: 1 }, { writeConcern: { w: 'majority', j: true, wtimeoutMS: 5000 } });
      await c.updateOne({ _id: 1 }, { $set: { a: 1 } }, { writeConcern: { w: 1 } });
      expect(await c.findOne({ _id: 1 }, { readConcern: { level: 'local' } })).toEqual({ _id: 1, a: 1 });
      expect(await c.countDocuments({}, { readConcern: { level: 'majority' } })).toBe(1);
      expect(await c.find({}, { readPreference: 'primaryPreferred' }).toArray()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('listDatabases, listCollections (with a filter and nameOnly), drop and dropDatabase', async () => {
    const other = ctx.client.db('compat_errors_other');
    await other.collection('x').insertOne({});
    const dbs = await db.admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain('compat_errors_other');
    const only = await db.listCollections({ name: 'c' }, { nameOnly: true }).toArray();
    expect(only).toEqual([{ name: 'c', type: 'collection' }]);
    expect(await other.collection('x').drop()).toBe(true);
    await other.collection('y').insertOne({});
    expect(await other.dropDatabase()).toBe(true);
    const after = await db.admin().listDatabases();
    expect(after.databases.map((d) => d.name)).not.toContain('compat_errors_other');
  });
});
