/**
 * Snapshot isolation, write conflicts, rollback, commit idempotence and retryable writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Long, MongoServerError, type Db } from 'mongodb';
import { startHarness, withOwnClient, type Harness } from './helpers.js';

let h: Harness;
let db: Db;
beforeAll(async () => { h = await startHarness(); db = h.client.db('txn'); });
afterAll(async () => h.close());

describe('transactions', () => {
  it('other sessions never see uncommitted writes; commit makes them visible at once', async () => {
    const c = db.collection<any>('vis');
    const s = h.client.startSession();
    s.startTransaction();
    await c.insertOne({ _id: 1 }, { session: s });
    await c.updateOne({ _id: 1 }, { $set: { v: 1 } }, { session: s });
    expect(await c.findOne({ _id: 1 })).toBeNull();
    expect(await c.findOne({ _id: 1 }, { session: s })).toEqual({ _id: 1, v: 1 });
    await s.commitTransaction();
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, v: 1 });
    await s.endSession();
  });

  it('reads inside a transaction see the snapshot taken at its first operation', async () => {
    const c = db.collection<any>('snap');
    await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }]);
    const s = h.client.startSession();
    s.startTransaction();
    expect(await c.countDocuments({}, { session: s })).toBe(2);
    await c.insertOne({ _id: 3, v: 3 });
    await c.updateOne({ _id: 1 }, { $set: { v: 100 } });
    await c.deleteOne({ _id: 2 });
    const seen = await c.find({}, { session: s }).sort({ _id: 1 }).toArray();
    expect(seen).toEqual([{ _id: 1, v: 1 }, { _id: 2, v: 2 }]);
    await s.abortTransaction();
    await s.endSession();
  });

  it('abort and a failed statement roll back everything', async () => {
    const c = db.collection<any>('rollback');
    await c.insertOne({ _id: 1, n: 0 });
    const s = h.client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
    await c.insertOne({ _id: 2 }, { session: s });
    await s.abortTransaction();
    expect(await c.find().toArray()).toEqual([{ _id: 1, n: 0 }]);
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
    const err = await c.insertOne({ _id: 1 }, { session: s }).catch((e) => e);
    expect(err.code).toBe(11000);
    await s.abortTransaction().catch(() => {});
    expect(await c.find().toArray()).toEqual([{ _id: 1, n: 0 }]);
    await s.endSession();
  });

  it('a write to a document another open transaction wrote fails with WriteConflict (transient)', async () => {
    const c = db.collection<any>('conflict');
    await c.insertOne({ _id: 1, n: 0 });
    const s1 = h.client.startSession();
    const s2 = h.client.startSession();
    s1.startTransaction();
    s2.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s1 });
    const err = await c.updateOne({ _id: 1 }, { $inc: { n: 10 } }, { session: s2 }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await s1.commitTransaction();
    await s2.abortTransaction().catch(() => {});
    expect((await c.findOne({ _id: 1 }))!.n).toBe(1);
    await s1.endSession();
    await s2.endSession();
  });

  it('a document committed after our snapshot conflicts; withTransaction retries and succeeds', async () => {
    const c = db.collection<any>('retry');
    await c.insertOne({ _id: 1, n: 0 });
    const s = h.client.startSession();
    let attempts = 0;
    await s.withTransaction(async () => {
      attempts++;
      await c.findOne({ _id: 1 }, { session: s });
      if (attempts === 1) await c.updateOne({ _id: 1 }, { $inc: { n: 100 } }); // outside, after snapshot
      await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
    });
    expect(attempts).toBe(2);
    expect((await c.findOne({ _id: 1 }))!.n).toBe(101);
    await s.endSession();
  });

  it('commitTransaction retried after success is idempotent', async () => {
    const c = db.collection<any>('commit2');
    const s = h.client.startSession();
    s.startTransaction();
    await c.insertOne({ _id: 1 }, { session: s });
    await s.commitTransaction();
    // Sent on the same session: the driver stamps its lsid and the committed txnNumber again.
    const again = await db.admin().command({ commitTransaction: 1 }, { session: s });
    expect(again.ok).toBe(1);
    expect(await c.countDocuments()).toBe(1);
    await s.endSession();
  });
});

describe('cursors opened in a transaction', () => {
  it('belong to it: a getMore after the commit is refused (50740); the next transaction closes them', async () => {
    const c = db.collection<any>('txn_cursor');
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })));
    const s = h.client.startSession();
    try {
      s.startTransaction();
      const inside = c.find({}, { session: s, batchSize: 2 });
      await inside.next();
      // Within the transaction the cursor runs to its end over several getMores.
      const again = c.find({}, { session: s, batchSize: 3 });
      expect(await again.toArray()).toHaveLength(10);
      await s.commitTransaction();
      const err = await inside.toArray().catch((e) => e);
      expect(err.code).toBe(50740);
      expect(err.message).toMatch(/created in transaction/);

      s.startTransaction();
      const first = await db.command({ find: 'txn_cursor', batchSize: 2 }, { session: s });
      await s.commitTransaction();
      s.startTransaction();
      await c.findOne({}, { session: s });
      const gone = await db.command({ getMore: first.cursor.id, collection: 'txn_cursor' }, { session: s }).catch((e) => e);
      expect(gone.code).toBe(43);
      // As in MongoDB, the failed statement aborted this transaction.
      expect((await s.commitTransaction().catch((e) => e)).code).toBe(251);
    } finally {
      await s.endSession();
    }
  });
});

describe('retryable writes', () => {
  it('the same lsid + txnNumber applies once and replays the first reply', async () => {
    const c = db.collection<any>('rw');
    await c.insertOne({ _id: 1, n: 0 });
    // Our own txnNumber on a driver session: that session must not go back to the shared pool.
    await withOwnClient(h.server.uri, async (client) => {
      const s = client.startSession();
      const own = client.db(db.databaseName);
      const cmd = { update: 'rw', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], txnNumber: Long.fromNumber(5) };
      const a = await own.command(cmd, { session: s });
      const b = await own.command(cmd, { session: s });
      expect(a.nModified).toBe(1);
      expect(b.nModified).toBe(1);
      await s.endSession();
    });
    expect((await c.findOne({ _id: 1 }))!.n).toBe(1);
  });
});

describe('transactions and DDL', () => {
  it('a transaction whose collection was dropped meanwhile aborts with a transient error', async () => {
    const c = db.collection<any>('ddl');
    await c.insertOne({ _id: 1, n: 0 });
    const s = h.client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
    await c.drop();
    const err = await s.commitTransaction().catch((e) => e);
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    expect(await c.countDocuments()).toBe(0);
    await s.endSession();
  });
});
