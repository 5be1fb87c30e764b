/**
 * Mongoose 9 on the server: connection, models with indexes (autoIndex), a String _id, validation,
 * duplicate key errors, populate, lean, timestamps, connection.transaction() and useDb.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Schema, type Connection } from 'mongoose';
import { serverUri, stopServer } from './server.js';

let conn: Connection;
beforeAll(async () => {
  const uri = await serverUri();
  conn = await mongoose.createConnection(uri, { dbName: 'compat_mongoose', serverSelectionTimeoutMS: 5000 }).asPromise();
  await conn.dropDatabase();
}, 30_000);
afterAll(async () => {
  await conn?.close();
  await stopServer();
});

describe('Mongoose models', { timeout: 20_000 }, () => {
  it('autoIndex builds schema indexes; a unique violation surfaces as MongoServerError 11000', async () => {
    const User = conn.model(
      'User',
      new Schema({ email: { type: String, required: true, unique: true }, name: String, org: String, slug: String }).index(
        { org: 1, slug: 1 },
        { unique: true },
      ),
    );
    await User.init(); // waits for autoIndex
    const names = (await User.listIndexes()).map((i: any) => i.name).sort();
    expect(names).toEqual(['_id_', 'email_1', 'org_1_slug_1']);
    await User.create({ email: 'a@x.io', name: 'A', org: 'o', slug: 's' });
    const err: any = await User.create({ email: 'a@x.io', name: 'B', org: 'o', slug: 't' }).catch((e) => e);
    expect(err.name).toBe('MongoServerError');
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@x.io' });
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(await User.countDocuments()).toBe(1);
  });

  it('a schema with _id: String stores the given id and finds by it', async () => {
    const Tenant = conn.model('Tenant', new Schema({ _id: String, plan: String }));
    await Tenant.create({ _id: 'acme', plan: 'pro' });
    const t = await Tenant.findById('acme');
    expect(t!._id).toBe('acme');
    expect(t!.plan).toBe('pro');
    const raw = await conn.db!.collection('tenants').findOne({ _id: 'acme' as any });
    expect(raw).toEqual({ _id: 'acme', plan: 'pro', __v: 0 });
  });

  it('validation rejects bad documents before they reach the server', async () => {
    const Item = conn.model('Item', new Schema({ title: { type: String, required: true }, qty: { type: Number, min: 0 } }));
    const err: any = await Item.create({ qty: -1 }).catch((e) => e);
    expect(err.name).toBe('ValidationError');
    expect(Object.keys(err.errors).sort()).toEqual(['qty', 'title']);
    expect(await Item.countDocuments()).toBe(0);
    // Update validators run on updates when asked.
    await Item.create({ title: 't', qty: 1 });
    const upErr: any = await Item.updateOne({ title: 't' }, { qty: -5 }, { runValidators: true }).catch((e) => e);
    expect(upErr.name).toBe('ValidationError');
  });

  it('populate resolves references, lean returns plain objects', async () => {
    const Author = conn.model('Author', new Schema({ name: String }));
    const Book = conn.model('Book', new Schema({ title: String, author: { type: Schema.Types.ObjectId, ref: 'Author' }, tags: [String] }));
    const author = await Author.create({ name: 'Ursula' });
    await Book.create([{ title: 'Earthsea', author: author._id, tags: ['fantasy'] }, { title: 'Dispossessed', author: author._id }]);
    const books = await Book.find().sort({ title: 1 }).populate('author');
    expect(books.map((b) => (b.author as any).name)).toEqual(['Ursula', 'Ursula']);
    const lean = await Book.findOne({ title: 'Earthsea' }).lean();
    expect(lean!.constructor).toBe(Object);
    expect(lean!.tags).toEqual(['fantasy']);
    expect(lean!.author!.toString()).toBe(author._id.toString());
    const leanPopulated: any = await Book.findOne({ title: 'Earthsea' }).populate('author', 'name').lean();
    expect(leanPopulated.author.name).toBe('Ursula');
  });

  it('timestamps set createdAt and updatedAt; updates move updatedAt only', async () => {
    const Note = conn.model('Note', new Schema({ text: String }, { timestamps: true }));
    const n = await Note.create({ text: 'a' });
    expect(n.createdAt).toBeInstanceOf(Date);
    expect(n.updatedAt!.getTime()).toBe(n.createdAt!.getTime());
    await new Promise((r) => setTimeout(r, 20));
    await Note.updateOne({ _id: n._id }, { text: 'b' });
    const after = await Note.findById(n._id).lean();
    expect(after!.createdAt.getTime()).toBe(n.createdAt!.getTime());
    expect(after!.updatedAt.getTime()).toBeGreaterThan(n.updatedAt!.getTime());
  });

  it('document save, findOneAndUpdate with new, deleteOne, and versioning', async () => {
    const Counter = conn.model('Counter', new Schema({ key: { type: String, unique: true }, n: Number, list: [Number] }));
    await Counter.init();
    const doc = await Counter.create({ key: 'k', n: 1, list: [1] });
    doc.n = 2;
    doc.list.push(2);
    await doc.save();
    const fresh = await Counter.findOneAndUpdate({ key: 'k' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    expect(fresh!.n).toBe(3);
    expect(fresh!.list).toEqual([1, 2]);
    expect(fresh!.__v).toBe(1);
    const up = await Counter.findOneAndUpdate({ key: 'new' }, { $setOnInsert: { n: 0 } }, { upsert: true, returnDocument: 'after' });
    expect(up!.n).toBe(0);
    await Counter.deleteOne({ key: 'k' });
    expect(await Counter.exists({ key: 'k' })).toBeNull();
  });

  it('syncIndexes drops indexes the schema no longer declares and builds the missing ones', async () => {
    const raw = conn.db!.collection('syncs');
    await raw.insertOne({ a: 1, b: 1 });
    await raw.createIndex({ b: 1 });
    const Sync = conn.model('Sync', new Schema({ a: Number, b: Number }, { autoIndex: false }).index({ a: 1 }));
    const dropped = await Sync.syncIndexes();
    expect(dropped).toEqual(['b_1']);
    expect((await raw.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'a_1']);
  });

  it('a query cursor with a small batchSize streams every document once', async () => {
    const Row = conn.model('Row', new Schema({ n: Number }));
    await Row.insertMany(Array.from({ length: 100 }, (_, n) => ({ n })));
    const seen: number[] = [];
    for await (const row of Row.find().sort({ n: 1 }).batchSize(7).cursor()) seen.push(row.n!);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  it('Model.bulkWrite mixes operations', async () => {
    const Op = conn.model('Op', new Schema({ k: String, v: Number }));
    await Op.create({ k: 'a', v: 1 });
    const r = await Op.bulkWrite([
      { insertOne: { document: { k: 'b', v: 2 } } },
      { updateOne: { filter: { k: 'a' }, update: { $inc: { v: 10 } } } },
      { updateOne: { filter: { k: 'c' }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { k: 'b' } } },
    ]);
    expect(r.insertedCount).toBe(1);
    expect(r.modifiedCount).toBe(1);
    expect(r.upsertedCount).toBe(1);
    expect(r.deletedCount).toBe(1);
    const all = await Op.find().sort({ k: 1 }).lean();
    expect(all.map((d) => [d.k, d.v])).toEqual([
      ['a', 11],
      ['c', 3],
    ]);
  });

  it('aggregate and distinct through models', async () => {
    const Sale = conn.model('Sale', new Schema({ region: String, amount: Number }));
    await Sale.insertMany([{ region: 'eu', amount: 5 }, { region: 'eu', amount: 7 }, { region: 'us', amount: 1 }]);
    const r = await Sale.aggregate([{ $group: { _id: '$region', total: { $sum: '$amount' } } }, { $sort: { _id: 1 } }]);
    expect(r).toEqual([{ _id: 'eu', total: 12 }, { _id: 'us', total: 1 }]);
    expect((await Sale.distinct('region')).sort()).toEqual(['eu', 'us']);
  });
});

describe('Mongoose transactions and useDb', { timeout: 30_000 }, () => {
  it('connection.transaction() commits, and rolls back when the callback throws', async () => {
    const Account = conn.model('Account', new Schema({ _id: String, balance: Number }));
    await Account.createCollection();
    await Account.create([{ _id: 'a', balance: 100 }, { _id: 'b', balance: 0 }]);
    await conn.transaction(async (session) => {
      await Account.updateOne({ _id: 'a' }, { $inc: { balance: -30 } }, { session });
      await Account.updateOne({ _id: 'b' }, { $inc: { balance: 30 } }, { session });
    });
    expect((await Account.findById('a').lean())!.balance).toBe(70);
    expect((await Account.findById('b').lean())!.balance).toBe(30);

    const err = await conn
      .transaction(async (session) => {
        await Account.updateOne({ _id: 'a' }, { $inc: { balance: -1000 } }, { session });
        await Account.create([{ _id: 'c', balance: 1 }], { session });
        throw new Error('insufficient funds');
      })
      .catch((e) => e);
    expect(err.message).toBe('insufficient funds');
    expect((await Account.findById('a').lean())!.balance).toBe(70);
    expect(await Account.findById('c')).toBeNull();
  });

  it('useDb gives isolated databases over one connection', async () => {
    const schema = new Schema({ v: Number });
    const t1 = conn.useDb('compat_mongoose_tenant1');
    const t2 = conn.useDb('compat_mongoose_tenant2');
    await t1.dropDatabase();
    await t2.dropDatabase();
    const M1 = t1.model('Thing', schema);
    const M2 = t2.model('Thing', schema);
    await M1.create({ v: 1 });
    await M2.create([{ v: 2 }, { v: 3 }]);
    expect(await M1.countDocuments()).toBe(1);
    expect(await M2.countDocuments()).toBe(2);
    expect(t1.getClient()).toBe(conn.getClient());
    expect((await t2.db!.collection('things').find({}, { projection: { _id: 0, v: 1 } }).sort({ v: 1 }).toArray())).toEqual([{ v: 2 }, { v: 3 }]);
    await t1.dropDatabase();
    await t2.dropDatabase();
  });
});
