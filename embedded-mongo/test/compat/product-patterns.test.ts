/**
 * MongoDB behaviours the product's services rely on (src/server), each written the way the product
 * uses it: the bulk claim that learns per conversation who won (unordered upserts failing with a
 * duplicate key), pipeline updates in findOneAndUpdate, upserts seeded from dotted filters, the
 * `$or` / `$max` batch counters, cursors iterated while their documents are updated, counts and
 * distinct, withTransaction retried on a write conflict, and change streams the driver resumes by
 * itself after the server loses their cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoBulkWriteError, ObjectId, type Db } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { openDb, within, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let conn: mongoose.Connection;
beforeAll(async () => {
  ctx = await openDb('compat_product_patterns');
  db = ctx.db;
  conn = await mongoose.createConnection(ctx.uri, { dbName: 'compat_product_patterns', serverSelectionTimeoutMS: 5000 }).asPromise();
}, 30_000);
afterAll(async () => {
  await conn?.close();
  await ctx?.close();
});

describe('bulk claim through unordered upserts (assignment/claim.ts)', { timeout: 20_000 }, () => {
  it('a claim whose condition no longer holds fails with 11000 at its index; the others apply; a missing id is upserted', async () => {
    const c = db.collection<any>('claims');
    const [free, taken, resolved, gone] = [new ObjectId(), new ObjectId(), new ObjectId(), new ObjectId()];
    const agent = new ObjectId();
    await c.insertMany([
      { _id: free, assigneeId: null, status: 'open', queuedAt: new Date() },
      { _id: taken, assigneeId: new ObjectId(), status: 'open' },
      { _id: resolved, assigneeId: null, status: 'resolved' },
    ]);
    const ops = [free, taken, resolved, gone].map((_id) => ({
      updateOne: { filter: { _id, assigneeId: null, status: { $ne: 'resolved' } }, update: { $set: { assigneeId: agent }, $unset: { queuedAt: '' } }, upsert: true },
    }));
    const err = await c.bulkWrite(ops, { ordered: false }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const errors = (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]) as Array<{ code: number; index: number }>;
    expect(errors.map((e) => [e.index, e.code]).sort()).toEqual([[1, 11000], [2, 11000]]);
    expect(Object.keys(err.result.upsertedIds)).toEqual(['3']);
    expect(String(err.result.upsertedIds[3])).toBe(String(gone));
    expect(err.result.modifiedCount).toBe(1);
    const after = await c.findOne({ _id: free });
    expect(String(after!.assigneeId)).toBe(String(agent));
    expect(after!.queuedAt).toBeUndefined();
    expect((await c.findOne({ _id: resolved }))!.assigneeId).toBeNull();
  });
});

describe('findOneAndUpdate as the services use it', { timeout: 20_000 }, () => {
  it('a pipeline update with $ifNull keeps an existing value, sets a missing one, and projects the result', async () => {
    const c = db.collection<any>('queue');
    const old = new Date('2024-01-01T00:00:00Z');
    await c.insertMany([{ _id: 1, assigneeId: null, status: 'open', priority: 'high', queuedAt: old }, { _id: 2, assigneeId: null, status: 'open', priority: 'low' }]);
    const now = new Date();
    const a = await c.findOneAndUpdate({ _id: 1, status: { $ne: 'resolved' }, assigneeId: null }, [{ $set: { queuedAt: { $ifNull: ['$queuedAt', now] } } }], { returnDocument: 'after', projection: { priority: 1, queuedAt: 1 } });
    expect(a).toEqual({ _id: 1, priority: 'high', queuedAt: old });
    const b = await c.findOneAndUpdate({ _id: 2, assigneeId: null }, [{ $set: { queuedAt: { $ifNull: ['$queuedAt', now] } } }], { returnDocument: 'after', projection: { queuedAt: 1 } });
    expect(b).toEqual({ _id: 2, queuedAt: now });
    // No match: null, nothing written.
    expect(await c.findOneAndUpdate({ _id: 3, assigneeId: null }, [{ $set: { queuedAt: now } }], { returnDocument: 'after' })).toBeNull();
    expect(await c.countDocuments({ _id: 3 })).toBe(0);
  });

  it('an upsert seeded from dotted filter fields takes $setOnInsert\'s whole array (Mongoose, lean, returnDocument after)', async () => {
    const Customer = conn.model('Customer', new Schema({ name: String, identities: [{ _id: false, channel: String, externalId: String }], lastSeenAt: Date }), 'customers');
    const upsert = () =>
      Customer.findOneAndUpdate(
        { 'identities.channel': 'whatsapp', 'identities.externalId': '+4411' },
        { $setOnInsert: { name: 'Ada', identities: [{ channel: 'whatsapp', externalId: '+4411' }] } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
    const first = await upsert();
    expect(first).toMatchObject({ name: 'Ada', identities: [{ channel: 'whatsapp', externalId: '+4411' }] });
    const again = await upsert();
    expect(String(again!._id)).toBe(String(first!._id));
    expect(await Customer.countDocuments()).toBe(1);
    // $addToSet of an equal subdocument is a no-op; sort picks the oldest match.
    const merged = await Customer.findOneAndUpdate({ _id: first!._id }, { $addToSet: { identities: { channel: 'whatsapp', externalId: '+4411' } }, $set: { lastSeenAt: new Date() } }, { returnDocument: 'after', sort: { _id: 1 } }).lean();
    expect(merged!.identities).toHaveLength(1);
  });

  it('$inc with a projection returns only the counter, as a number', async () => {
    const Admin = conn.model('Admin', new Schema({ email: String, failedLogins: { type: Number, default: 0 } }), 'admins');
    const a = await Admin.create({ email: 'a@x' });
    const r1 = await Admin.findOneAndUpdate({ _id: a._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after', projection: { failedLogins: 1 } }).lean();
    const r2 = await Admin.findOneAndUpdate({ _id: a._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after', projection: { failedLogins: 1 } }).lean();
    expect(r1).toEqual({ _id: a._id, failedLogins: 1 });
    expect(r2!.failedLogins).toBe(2);
  });
});

describe('batched counters (inbox/ingest-writes.ts)', { timeout: 20_000 }, () => {
  it('$inc + $max and a guarded $set under $or with $exists false / null / $lte apply in any order', async () => {
    const c = db.collection<any>('convs');
    const id = new ObjectId();
    const t1 = new Date('2024-05-01T10:00:00Z'), t2 = new Date('2024-05-01T10:05:00Z');
    await c.insertOne({ _id: id, unreadCount: 0 });
    const ops = (at: Date, preview: string) => [
      { updateOne: { filter: { _id: id }, update: { $inc: { unreadCount: 1 }, $max: { lastCustomerMessageAt: at } } } },
      { updateOne: { filter: { _id: id, $or: [{ lastMessageAt: { $exists: false } }, { lastMessageAt: null }, { lastMessageAt: { $lte: at } }] }, update: { $set: { lastMessageAt: at, lastMessagePreview: preview } } } },
    ];
    // The later message is applied first: the earlier one must not overwrite its preview.
    await c.bulkWrite([...ops(t2, 'second'), ...ops(t1, 'first')], { ordered: false });
    expect(await c.findOne({ _id: id })).toEqual({ _id: id, unreadCount: 2, lastCustomerMessageAt: t2, lastMessageAt: t2, lastMessagePreview: 'second' });
  });
});

describe('cursors', { timeout: 30_000 }, () => {
  it('a lean Mongoose cursor visits every document once while each is updated during the walk (crypto/rotate.ts)', async () => {
    const Org = conn.model('Org', new Schema({ slug: String, secret: String, n: Number }), 'orgs');
    await Org.insertMany(Array.from({ length: 250 }, (_, i) => ({ slug: `org-${i}`, secret: `v1:${i}`, n: i })));
    const seen = new Set<string>();
    let visits = 0;
    for await (const org of Org.find().sort({ secret: 1 }).lean().cursor({ batchSize: 10 })) {
      visits++;
      seen.add(org.slug!);
      // Rewrites the very field the cursor is sorted on: it must not make the document come back.
      await Org.updateOne({ _id: org._id }, { $set: { secret: `v2:${org.n}` } });
    }
    expect(visits).toBe(250);
    expect(seen.size).toBe(250);
    expect(await Org.countDocuments({ secret: /^v2:/ })).toBe(250);
  });

  it('a sorted find over more than one batch returns every document in order (audit/verify.ts)', async () => {
    const c = db.collection<any>('audit');
    await c.insertMany(Array.from({ length: 305 }, (_, i) => ({ seq: 305 - i })));
    const seqs: number[] = [];
    for await (const d of c.find().sort({ seq: 1 })) seqs.push(d.seq);
    expect(seqs).toEqual(Array.from({ length: 305 }, (_, i) => i + 1));
  });
});

describe('counts and distinct', { timeout: 20_000 }, () => {
  it('countDocuments with filter, skip and limit; estimatedDocumentCount; distinct over arrays with a filter', async () => {
    const c = db.collection<any>('users');
    await c.insertMany([
      { status: 'active', role: 'Agent', tags: ['a', 'b'] },
      { status: 'invited', role: 'Agent', tags: ['b', 'c'] },
      { status: 'suspended', role: 'Admin', tags: [] },
      { status: 'deleted', role: 'Agent', tags: ['z'] },
    ]);
    expect(await c.countDocuments({ status: { $in: ['invited', 'active', 'suspended'] } })).toBe(3);
    expect(await c.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await c.countDocuments({ nope: 1 })).toBe(0);
    expect(await c.estimatedDocumentCount()).toBe(4);
    await c.deleteOne({ status: 'deleted' });
    expect(await c.estimatedDocumentCount()).toBe(3);
    expect((await c.distinct('tags', { role: 'Agent' })).sort()).toEqual(['a', 'b', 'c']);
    expect(await c.distinct('missing')).toEqual([]);
    expect(await db.collection('never_created').estimatedDocumentCount()).toBe(0);
    expect(await db.collection('never_created').countDocuments()).toBe(0);
  });
});

describe('reports and permission filters (reports/sla.ts, authz/query.ts)', { timeout: 20_000 }, () => {
  it('$group counts with $sum of $cond (also against $$NOW), sorted by count, come back as plain numbers', async () => {
    const Conv = conn.model('SlaConv', new Schema({ assigneeId: String, teamId: String, status: String, firstResponseDueAt: Date, firstResponseAt: Date }), 'sla_convs');
    const past = new Date(Date.now() - 3600_000), future = new Date(Date.now() + 3600_000);
    await Conv.insertMany([
      { assigneeId: 'a', teamId: 't', status: 'resolved', firstResponseDueAt: past, firstResponseAt: new Date(past.getTime() - 1000) },
      { assigneeId: 'a', teamId: 't', status: 'open', firstResponseDueAt: past }, // no response yet, due in the past: breached
      { assigneeId: 'a', teamId: 't', status: 'open', firstResponseDueAt: future },
      { assigneeId: 'b', teamId: 't', status: 'resolved', firstResponseDueAt: null },
    ]);
    const rows = await Conv.aggregate([
      { $match: { $or: [{ teamId: { $in: ['t'] } }, { assigneeId: 'x' }] } },
      {
        $group: {
          _id: { a: '$assigneeId', t: '$teamId' },
          n: { $sum: 1 },
          resolved: { $sum: { $cond: [{ $eq: ['$status', 'resolved'] }, 1, 0] } },
          breached: { $sum: { $cond: [{ $and: [{ $ne: ['$firstResponseDueAt', null] }, { $gt: [{ $ifNull: ['$firstResponseAt', '$$NOW'] }, '$firstResponseDueAt'] }] }, 1, 0] } },
        },
      },
      { $sort: { n: -1 } },
      { $limit: 1000 },
    ]);
    expect(rows).toEqual([
      { _id: { a: 'a', t: 't' }, n: 3, resolved: 1, breached: 1 },
      { _id: { a: 'b', t: 't' }, n: 1, resolved: 1, breached: 0 },
    ]);
  });

  it('the impossible $expr of "no permission" yields nothing, in find, count and aggregate, also under $and', async () => {
    const c = db.collection<any>('perm');
    await c.insertMany([{ v: 1 }, { v: 2 }]);
    const none = { $expr: { $eq: [0, 1] } };
    expect(await c.find(none).toArray()).toEqual([]);
    expect(await c.countDocuments({ $and: [none, { v: 1 }] })).toBe(0);
    expect(await c.aggregate([{ $match: none }, { $count: 'n' }]).toArray()).toEqual([]);
    expect(await c.countDocuments({ $and: [{ $or: [{ v: 1 }] }, { v: { $in: [1, 2] } }] })).toBe(1);
  });
});

describe('withTransaction', { timeout: 30_000 }, () => {
  it('retries the callback after a write conflict with a concurrent transaction, and commits once', async () => {
    const c = db.collection<any>('txn_retry');
    await c.insertOne({ _id: 'counter', n: 0 });
    const s1 = ctx.client.startSession();
    const s2 = ctx.client.startSession();
    let attempts = 0;
    try {
      // s2 holds a write on the counter while s1's first attempt runs into it.
      s2.startTransaction();
      await c.updateOne({ _id: 'counter' }, { $inc: { n: 10 } }, { session: s2 });
      await s1.withTransaction(async () => {
        attempts++;
        if (attempts === 2) await s2.commitTransaction();
        await c.updateOne({ _id: 'counter' }, { $inc: { n: 1 } }, { session: s1 });
      });
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(attempts).toBe(2);
    expect((await c.findOne({ _id: 'counter' }))!.n).toBe(11);
  });
});

describe('change streams', { timeout: 30_000 }, () => {
  it('the driver resumes by itself when the server loses the stream\'s cursor: nothing lost, nothing repeated', async () => {
    const c = db.collection<any>('cs_resume');
    await c.insertOne({ _id: 0 });
    const stream = c.watch([], { batchSize: 1 });
    const seen: number[] = [];
    const next = async () => { seen.push(((await within(10_000, stream.next(), 'change event')) as any).documentKey._id); };
    try {
      const first = stream.next(); // opens the cursor
      await new Promise((r) => setTimeout(r, 200));
      await c.insertOne({ _id: 1 });
      seen.push(((await within(10_000, first, 'change event')) as any).documentKey._id);
      // Kill the stream's server cursor from another connection, as a failover or restart would lose it.
      const id = (stream as unknown as { cursor: { id?: { toString(): string } } }).cursor.id;
      expect(id).toBeDefined();
      await db.command({ killCursors: 'cs_resume', cursors: [id] });
      await c.insertMany([{ _id: 2 }, { _id: 3 }]);
      await next();
      await next();
      expect(seen).toEqual([1, 2, 3]);
    } finally {
      await stream.close();
    }
  });
});
