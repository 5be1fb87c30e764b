/**
 * Mongoose 9 query features beyond the basics in mongoose.test.ts: populate with select / match /
 * sort, virtual populate (also `count`), `select: false` fields, `exists`, discriminators, bulkSave,
 * insertMany with ordered: false, eachAsync over a small batchSize, counts and aggregation inside
 * connection.transaction(), and Model.watch resumed from a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Schema, type Connection } from 'mongoose';
import { serverUri, stopServer, within } from './server.js';

let conn: Connection;
beforeAll(async () => {
  const uri = await serverUri();
  conn = await mongoose.createConnection(uri, { dbName: 'compat_mongoose_queries', serverSelectionTimeoutMS: 5000 }).asPromise();
  await conn.dropDatabase();
}, 30_000);
afterAll(async () => {
  await conn?.close();
  await stopServer();
});

type AnyModel = mongoose.Model<any>;
let cached: { Team: AnyModel; User: AnyModel } | undefined;
function models(): { Team: AnyModel; User: AnyModel } {
  if (cached) return cached;
  const Team = conn.model('Team', new Schema({ name: String, order: Number })) as unknown as AnyModel;
  const schema = new Schema({ name: String, teamIds: [{ type: Schema.Types.ObjectId, ref: 'Team' }], lead: { type: Schema.Types.ObjectId, ref: 'Team' }, secret: { type: String, select: false } }, { timestamps: true });
  schema.virtual('teams', { ref: 'Team', localField: 'teamIds', foreignField: '_id' });
  schema.virtual('leadCount', { ref: 'Team', localField: 'lead', foreignField: '_id', count: true });
  const User = conn.model('User', schema) as unknown as AnyModel;
  return (cached = { Team, User });
}

describe('populate, select and exists', { timeout: 20_000 }, () => {
  beforeAll(async () => {
    const { Team, User } = models();
    const teams = await Team.insertMany([{ name: 'b', order: 2 }, { name: 'a', order: 1 }, { name: 'c', order: 3 }]);
    await User.create({ name: 'u', teamIds: teams.map((x) => x._id), lead: teams[0]!._id, secret: 's' });
  });

  it('populate honours select, match and sort', async () => {
    const { User } = models();
    const u = await User.findOne({ name: 'u' }).populate({ path: 'teamIds', select: 'name -_id', match: { order: { $lt: 3 } }, options: { sort: { order: 1 } } }).lean();
    expect((u as any).teamIds).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('virtual populate resolves documents and counts', async () => {
    const { User } = models();
    const u: any = await User.findOne({ name: 'u' }).populate('teams').populate('leadCount');
    expect(u.teams.map((x: any) => x.name).sort()).toEqual(['a', 'b', 'c']);
    expect(u.leadCount).toBe(1);
  });

  it('select: false hides a field unless asked for with +; exists answers an _id or null; findById takes a string', async () => {
    const { User } = models();
    expect(((await User.findOne({ name: 'u' }).lean()) as any).secret).toBeUndefined();
    expect(((await User.findOne({ name: 'u' }).select('+secret').lean()) as any).secret).toBe('s');
    expect((await User.exists({ name: 'u' }))?._id).toBeDefined();
    expect(await User.exists({ name: 'nobody' })).toBeNull();
    const id = String((await User.findOne({ name: 'u' }))!._id);
    expect(((await User.findById(id).lean()) as any).name).toBe('u');
    expect(await User.distinct('teamIds')).toHaveLength(3);
  });

  it('an upsert through updateOne sets the timestamps', async () => {
    const { User } = models();
    await User.updateOne({ name: 'upserted' }, { $set: { secret: 'z' } }, { upsert: true });
    const u: any = await User.findOne({ name: 'upserted' }).lean();
    expect(u.createdAt).toBeInstanceOf(Date);
    expect(u.updatedAt).toBeInstanceOf(Date);
  });
});

describe('writes', { timeout: 20_000 }, () => {
  it('discriminators share a collection; counts are per discriminator', async () => {
    const Ev = conn.model('Ev', new Schema({ at: Date }, { discriminatorKey: 'kind' }));
    const Click = Ev.discriminator('Click', new Schema({ x: Number }));
    await Click.create({ at: new Date(), x: 1 });
    await Ev.create({ at: new Date() });
    expect(await Click.countDocuments()).toBe(1);
    expect(await Ev.countDocuments()).toBe(2);
  });

  it('bulkSave writes only the changed documents', async () => {
    const Item = conn.model('Item', new Schema({ n: Number }));
    await Item.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const docs = await Item.find({ n: { $lt: 3 } });
    for (const d of docs) d.n = (d.n ?? 0) + 100;
    const r = await Item.bulkSave(docs);
    expect(r.modifiedCount).toBe(2);
    expect((await Item.find().sort({ n: 1 }).lean()).map((d) => d.n)).toEqual([3, 101, 102]);
  });

  it('insertMany with ordered: false inserts the rest and reports the duplicate', async () => {
    const Uq = conn.model('Uq', new Schema({ k: { type: String, unique: true } }));
    await Uq.init();
    const err: any = await Uq.insertMany([{ k: 'a' }, { k: 'a' }, { k: 'b' }], { ordered: false }).catch((e) => e);
    expect(err.code ?? err.writeErrors?.[0]?.code).toBe(11000);
    expect(err.insertedDocs).toHaveLength(2);
    expect(await Uq.countDocuments()).toBe(2);
  });
});

describe('cursors, transactions and change streams', { timeout: 30_000 }, () => {
  it('eachAsync with batchSize 7 and parallel 3 visits every document once', async () => {
    const Row = conn.model('Row', new Schema({ i: Number }));
    await Row.insertMany(Array.from({ length: 53 }, (_, i) => ({ i })));
    const seen = new Set<number>();
    await Row.find().cursor({ batchSize: 7 }).eachAsync(async (d) => { seen.add(d.i!); }, { parallel: 3 });
    expect(seen.size).toBe(53);
  });

  it('countDocuments and aggregate inside connection.transaction() see the transaction\'s own writes only', async () => {
    const Tx = conn.model('Tx', new Schema({ name: String }));
    await Tx.createCollection();
    await conn.transaction(async (session) => {
      await Tx.create([{ name: 'a' }, { name: 'b' }], { session, ordered: true });
      expect(await Tx.countDocuments().session(session)).toBe(2);
      expect(await Tx.countDocuments()).toBe(0);
      const [g] = await Tx.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]).session(session);
      expect(g.n).toBe(2);
    });
    expect(await Tx.countDocuments()).toBe(2);
  });

  it('Model.watch resumed after a token continues with the next change', async () => {
    const W = conn.model('W', new Schema({ name: String }));
    await W.createCollection();
    const cs = W.watch();
    try {
      const first = new Promise<any>((r) => cs.once('change', r));
      await new Promise((r) => setTimeout(r, 300)); // the stream's cursor is opened asynchronously
      await W.create({ name: 'w1' });
      const ev = await within(10_000, first, 'first change');
      await cs.close();
      await W.create({ name: 'w2' });
      const cs2 = W.watch([], { resumeAfter: ev._id });
      try {
        const next = await within(10_000, new Promise<any>((r) => cs2.once('change', r)), 'resumed change');
        expect(next.fullDocument.name).toBe('w2');
      } finally {
        await cs2.close();
      }
    } finally {
      await cs.close();
    }
  });
});
