/**
 * Multi-document transactions through session.withTransaction: commit visibility, abort and error
 * rollback, snapshot isolation, write conflicts (WriteConflict 112 labelled
 * TransientTransactionError, retried by withTransaction) and retryable writes (lsid + txnNumber)
 * that are not applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Long, MongoServerError, type Db } from 'mongodb';
import { openDb, rejectionOf, withOwnClient, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_transactions');
  db = ctx.db;
  // Collections must exist before use in a transaction on older servers; create them up front.
  for (const name of ['commit', 'abort', 'iso', 'conflict', 'retry', 'err_rollback', 'snapshot']) await db.createCollection(name);
}, 30_000);
afterAll(async () => ctx?.close());

/** A promise plus its resolve, to sequence two concurrent transactions. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('transactions', { timeout: 30_000 }, () => {
  it('a committed transaction becomes visible to others only after commit', async () => {
    const c = db.collection<any>('commit');
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await c.insertOne({ _id: 1, v: 'a' }, { session });
      await c.insertOne({ _id: 2, v: 'b' }, { session });
      // Inside the transaction its own writes are visible...
      expect(await c.countDocuments({}, { session })).toBe(2);
      // ...outside they are not.
      expect(await c.countDocuments({})).toBe(0);
      expect(await c.findOne({ _id: 1 })).toBeNull();
      await session.commitTransaction();
      expect(await c.countDocuments({})).toBe(2);
    } finally {
      await session.endSession();
    }
  });

  it('withTransaction commits the callback and returns its value', async () => {
    const c = db.collection<any>('commit');
    const session = ctx.client.startSession();
    try {
      const value = await session.withTransaction(async () => {
        await c.updateOne({ _id: 1 }, { $set: { v: 'A' } }, { session });
        await c.deleteOne({ _id: 2 }, { session });
        return 'done';
      });
      expect(value).toBe('done');
      expect(await c.find().toArray()).toEqual([{ _id: 1, v: 'A' }]);
    } finally {
      await session.endSession();
    }
  });

  it('committing again after a successful commit succeeds and applies nothing twice', async () => {
    const c = db.collection<any>('commit');
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await c.updateOne({ _id: 'twice' }, { $inc: { n: 1 } }, { session, upsert: true });
      await session.commitTransaction();
      // The driver re-sends commitTransaction for the same txnNumber, as after a lost reply.
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await c.findOne({ _id: 'twice' })).toEqual({ _id: 'twice', n: 1 });
  });

  it('abortTransaction rolls back inserts, updates and deletes', async () => {
    const c = db.collection<any>('abort');
    await c.insertMany([{ _id: 1, n: 1 }, { _id: 2, n: 2 }]);
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await c.insertOne({ _id: 3, n: 3 }, { session });
      await c.updateOne({ _id: 1 }, { $inc: { n: 100 } }, { session });
      await c.deleteOne({ _id: 2 }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, n: 1 }, { _id: 2, n: 2 }]);
  });

  it('an error thrown inside withTransaction aborts and rethrows', async () => {
    const c = db.collection<any>('err_rollback');
    const session = ctx.client.startSession();
    try {
      await expect(
        session.withTransaction(async () => {
          await c.insertOne({ _id: 'x' }, { session });
          throw new Error('application failure');
        }),
      ).rejects.toThrow('application failure');
    } finally {
      await session.endSession();
    }
    expect(await c.countDocuments()).toBe(0);
  });

  it('a duplicate key inside a transaction aborts the whole transaction', async () => {
    const c = db.collection<any>('err_rollback');
    await c.insertOne({ _id: 'taken' });
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await c.insertOne({ _id: 'new' }, { session });
      const err = await rejectionOf(c.insertOne({ _id: 'taken' }, { session }));
      expect(err.code).toBe(11000);
      // The server aborted the transaction: a commit now fails with NoSuchTransaction (251).
      const commitErr = await rejectionOf(session.commitTransaction());
      expect(commitErr.code).toBe(251);
    } finally {
      await session.endSession();
    }
    expect(await c.countDocuments({ _id: 'new' })).toBe(0);
  });

  it('isolation: a transaction reads its snapshot, not concurrent committed writes', async () => {
    const c = db.collection<any>('snapshot');
    await c.insertOne({ _id: 1, v: 0 });
    const session = ctx.client.startSession();
    try {
      session.startTransaction({ readConcern: { level: 'snapshot' } });
      expect((await c.findOne({ _id: 1 }, { session }))!.v).toBe(0);
      await c.updateOne({ _id: 1 }, { $set: { v: 1 } }); // outside, committed immediately
      await c.insertOne({ _id: 2, v: 2 });
      expect((await c.findOne({ _id: 1 }, { session }))!.v).toBe(0);
      expect(await c.countDocuments({}, { session })).toBe(1);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect((await c.findOne({ _id: 1 }))!.v).toBe(1);
  });

  it('isolation: another session does not see uncommitted writes, even inside its own transaction', async () => {
    const c = db.collection<any>('iso');
    await c.insertOne({ _id: 1, status: 'old' });
    const s1 = ctx.client.startSession();
    const s2 = ctx.client.startSession();
    try {
      s1.startTransaction();
      await c.updateOne({ _id: 1 }, { $set: { status: 'new' } }, { session: s1 });
      await c.insertOne({ _id: 2 }, { session: s1 });
      s2.startTransaction();
      expect((await c.findOne({ _id: 1 }, { session: s2 }))!.status).toBe('old');
      expect(await c.findOne({ _id: 2 }, { session: s2 })).toBeNull();
      await s2.commitTransaction();
      expect((await c.findOne({ _id: 1 }))!.status).toBe('old');
      await s1.commitTransaction();
      expect((await c.findOne({ _id: 1 }))!.status).toBe('new');
      expect(await c.countDocuments()).toBe(2);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
  });

  it('write conflict: the second writer gets WriteConflict (112), TransientTransactionError; withTransaction retries to success', async () => {
    const c = db.collection<any>('conflict');
    await c.insertOne({ _id: 1, n: 0, by: [] });
    const s1 = ctx.client.startSession();
    const s2 = ctx.client.startSession();
    const t1Wrote = signal();
    const t2Failed = signal();
    const conflicts: any[] = [];
    let attempts2 = 0;
    try {
      const tx1 = s1.withTransaction(async () => {
        await c.updateOne({ _id: 1 }, { $inc: { n: 1 }, $push: { by: 't1' } } as any, { session: s1 });
        t1Wrote.resolve();
        // Hold the transaction open until t2 has hit the conflict at least once.
        await t2Failed.promise;
      });
      const tx2 = s2.withTransaction(async () => {
        await t1Wrote.promise;
        attempts2++;
        try {
          await c.updateOne({ _id: 1 }, { $inc: { n: 1 }, $push: { by: 't2' } } as any, { session: s2 });
        } catch (err) {
          conflicts.push(err);
          t2Failed.resolve();
          // Give t1 a moment to commit before withTransaction retries us.
          await new Promise((r) => setTimeout(r, 50));
          throw err;
        }
      });
      await Promise.all([tx1, tx2]);
    } finally {
      t1Wrote.resolve();
      t2Failed.resolve();
      await s1.endSession();
      await s2.endSession();
    }
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    const first = conflicts[0];
    expect(first).toBeInstanceOf(MongoServerError);
    expect(first.code).toBe(112);
    expect(first.codeName).toBe('WriteConflict');
    expect(first.hasErrorLabel('TransientTransactionError')).toBe(true);
    expect(attempts2).toBeGreaterThanOrEqual(2);
    const doc = await c.findOne({ _id: 1 });
    expect(doc!.n).toBe(2);
    expect(doc!.by).toEqual(['t1', 't2']);
  });

  it('a non-transactional write to a document locked by a transaction waits or conflicts, never interleaves', async () => {
    const c = db.collection<any>('conflict');
    await c.insertOne({ _id: 'w', n: 0 });
    const s1 = ctx.client.startSession();
    try {
      s1.startTransaction();
      await c.updateOne({ _id: 'w' }, { $inc: { n: 10 } }, { session: s1 });
      // The outside write blocks until the transaction ends (MongoDB retries it internally).
      const outside = c.updateOne({ _id: 'w' }, { $inc: { n: 1 } });
      await new Promise((r) => setTimeout(r, 100));
      await s1.commitTransaction();
      await outside;
    } finally {
      await s1.endSession();
    }
    expect((await c.findOne({ _id: 'w' }))!.n).toBe(11);
  });
});

describe('retryable writes', { timeout: 30_000 }, () => {
  it('the same lsid + txnNumber is executed once; the retry returns the original result', async () => {
    const c = db.collection<any>('retry');
    await c.insertOne({ _id: 1, n: 0 });
    // The driver always stamps the command with its session's lsid (overwriting any of ours), so an
    // explicit session supplies the lsid; outside a transaction it leaves our txnNumber alone. That
    // session has then seen a txnNumber the driver does not know about, so it belongs to a client
    // of its own (a pooled reuse would send a lower number: TransactionTooOld).
    await withOwnClient(ctx.uri, async (client) => {
      const session = client.startSession();
      const own = client.db(db.databaseName);
      const cmd = { update: 'retry', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], txnNumber: Long.fromNumber(7) };
      const first = await own.command(cmd, { session });
      const retried = await own.command(cmd, { session });
      expect(first.n).toBe(1);
      expect(first.nModified).toBe(1);
      expect(retried.n).toBe(1);
      expect(retried.nModified).toBe(1);
      expect((await c.findOne({ _id: 1 }))!.n).toBe(1);
      // A new txnNumber is a new write.
      await own.command({ ...cmd, txnNumber: Long.fromNumber(8) }, { session });
      expect((await c.findOne({ _id: 1 }))!.n).toBe(2);
      await session.endSession();
    });
  });

  it('a retried insert does not insert twice nor report a duplicate key', async () => {
    await withOwnClient(ctx.uri, async (client) => {
      const session = client.startSession();
      const cmd = { insert: 'retry', documents: [{ _id: 'once', v: 1 }], txnNumber: Long.fromNumber(1) };
      const first = await client.db(db.databaseName).command(cmd, { session });
      const again = await client.db(db.databaseName).command(cmd, { session });
      await session.endSession();
      expect(first.n).toBe(1);
      expect(again.n).toBe(1);
      expect(again.writeErrors).toBeUndefined();
    });
    expect(await db.collection('retry').countDocuments({ _id: 'once' } as any)).toBe(1);
  });

  it('a write with a txnNumber lower than one already seen on its lsid fails with TransactionTooOld and changes nothing', async () => {
    await withOwnClient(ctx.uri, async (client) => {
      const session = client.startSession();
      const own = client.db(db.databaseName);
      const cmd = (n: number) => ({ insert: 'retry', documents: [{ _id: `old-${n}` }], txnNumber: Long.fromNumber(n) });
      await own.command(cmd(10), { session });
      const err = await rejectionOf(own.command(cmd(9), { session }));
      expect(err.code).toBe(225);
      expect(err.codeName).toBe('TransactionTooOld');
      // A transaction with a lower number is refused the same way.
      const txn = await rejectionOf(own.command({ ...cmd(8), startTransaction: true, autocommit: false }, { session }));
      expect(txn.code).toBe(225);
      await session.endSession();
    });
    expect(await db.collection('retry').find({ _id: /^old-/ } as any).map((d) => d._id).toArray()).toEqual(['old-10']);
  });

  it('driver sessions returned to the pool keep working: many writes on few lsids', async () => {
    // The driver reuses pooled lsids with ever higher txnNumbers; none may be refused.
    const c = db.collection<any>('retry');
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.updateOne({ _id: `pool-${i % 3}` }, { $inc: { n: 1 } }, { upsert: true })));
    for (let i = 0; i < 5; i++) {
      const s = ctx.client.startSession();
      await s.withTransaction(async () => { await c.updateOne({ _id: 'pool-0' }, { $inc: { n: 1 } }, { session: s }); });
      await s.endSession();
      await c.insertOne({ _id: `pool-after-${i}` });
    }
    expect((await c.find({ _id: /^pool-\d$/ } as any).toArray()).reduce((a, d) => a + d.n, 0)).toBe(25);
  });

  it('driver-level retryable writes (default on) work through a replica-set URI', async () => {
    const r = await db.collection<any>('retry').findOneAndUpdate({ _id: 'fam' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    expect(r).toEqual({ _id: 'fam', n: 1 });
  });
});
