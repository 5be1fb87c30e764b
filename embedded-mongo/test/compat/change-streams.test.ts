/**
 * Change streams: collection and database watch, insert/update/replace/delete events with
 * fullDocument 'updateLookup' and updateDescription, resumeAfter without loss or duplicates, and a
 * $match pipeline filtering events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeStream, type Db } from 'mongodb';
import { openDb, within, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_change_streams');
  db = ctx.db;
  for (const name of ['events', 'resume', 'filtered', 'dbwide_a', 'dbwide_b', 'lookup']) await db.createCollection(name);
}, 30_000);
afterAll(async () => ctx?.close());

/**
 * Opens the stream on the server before the test writes anything: the driver only sends the
 * aggregate lazily, so one tryNext (with a short await time) establishes it.
 */
async function opened<T extends ChangeStream<any, any>>(cs: T): Promise<T> {
  await within(10_000, cs.tryNext(), 'opening the change stream');
  return cs;
}

async function take(cs: ChangeStream<any, any>, n: number): Promise<any[]> {
  const out: any[] = [];
  while (out.length < n) out.push(await within(10_000, cs.next(), `change event ${out.length + 1} of ${n}`));
  return out;
}

describe('change streams', { timeout: 40_000 }, () => {
  it('reports insert, update, replace and delete with their fields', async () => {
    const c = db.collection<any>('events');
    const cs = await opened(c.watch([], { fullDocument: 'updateLookup', maxAwaitTimeMS: 200 }));
    try {
      await c.insertOne({ _id: 1, a: 1, b: 'x', arr: [1, 2, 3] });
      await c.updateOne({ _id: 1 }, { $set: { a: 2 }, $unset: { b: '' } });
      await c.replaceOne({ _id: 1 }, { z: 26 });
      await c.deleteOne({ _id: 1 });
      const [ins, upd, rep, del] = await take(cs, 4);

      expect(ins.operationType).toBe('insert');
      expect(ins.ns).toEqual({ db: 'compat_change_streams', coll: 'events' });
      expect(ins.documentKey).toEqual({ _id: 1 });
      expect(ins.fullDocument).toEqual({ _id: 1, a: 1, b: 'x', arr: [1, 2, 3] });
      expect(ins._id).toBeTruthy();
      expect(ins.clusterTime).toBeTruthy();

      expect(upd.operationType).toBe('update');
      expect(upd.documentKey).toEqual({ _id: 1 });
      expect(upd.updateDescription.updatedFields).toEqual({ a: 2 });
      expect(upd.updateDescription.removedFields).toEqual(['b']);
      // updateLookup reads the document's current version when the event is returned; the replace
      // and delete below may already have happened, so it is that version or null.
      expect(upd.fullDocument === null || upd.fullDocument._id === 1).toBe(true);

      expect(rep.operationType).toBe('replace');
      expect(rep.fullDocument).toEqual({ _id: 1, z: 26 });

      expect(del.operationType).toBe('delete');
      expect(del.documentKey).toEqual({ _id: 1 });
      expect(del.fullDocument).toBeUndefined();
    } finally {
      await cs.close();
    }
  });

  it("fullDocument 'updateLookup' returns the document after the update", async () => {
    const c = db.collection<any>('lookup');
    const cs = await opened(c.watch([], { fullDocument: 'updateLookup', maxAwaitTimeMS: 200 }));
    try {
      await c.insertOne({ _id: 'u', n: 1, keep: 'yes' });
      await c.updateOne({ _id: 'u' }, { $inc: { n: 1 } });
      const [, upd] = await take(cs, 2);
      expect(upd.operationType).toBe('update');
      expect(upd.updateDescription.updatedFields).toEqual({ n: 2 });
      expect(upd.fullDocument).toEqual({ _id: 'u', n: 2, keep: 'yes' });
    } finally {
      await cs.close();
    }
    // Without updateLookup an update event carries no fullDocument.
    const plain = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    try {
      await c.updateOne({ _id: 'u' }, { $set: { keep: 'no' } });
      const [e] = await take(plain, 1);
      expect(e.operationType).toBe('update');
      expect(e.fullDocument).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('multi-document writes produce one event per document, in order', async () => {
    const c = db.collection<any>('lookup');
    const cs = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    try {
      await c.insertMany([{ _id: 'm1', g: 1 }, { _id: 'm2', g: 1 }]);
      await c.updateMany({ g: 1 }, { $set: { seen: true } });
      await c.findOneAndUpdate({ _id: 'm1' }, { $inc: { n: 1 } });
      await c.findOneAndReplace({ _id: 'm2' }, { g: 2 });
      await c.bulkWrite([{ deleteOne: { filter: { _id: 'm1' } } }, { insertOne: { document: { _id: 'm3' } } }]);
      await c.deleteMany({ _id: { $in: ['m2', 'm3'] } });
      const events = await take(cs, 10);
      expect(events.map((e) => `${e.operationType}:${e.documentKey._id}`)).toEqual([
        'insert:m1',
        'insert:m2',
        'update:m1',
        'update:m2',
        'update:m1',
        'replace:m2',
        'delete:m1',
        'insert:m3',
        'delete:m2',
        'delete:m3',
      ]);
    } finally {
      await cs.close();
    }
  });

  it('resumeAfter a token continues with the next event: nothing lost, nothing repeated', async () => {
    const c = db.collection<any>('resume');
    const cs = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    let token: unknown;
    try {
      await c.insertMany([{ _id: 1 }, { _id: 2 }]);
      const got = await take(cs, 2);
      expect(got.map((e) => e.documentKey._id)).toEqual([1, 2]);
      token = got[0]._id; // resume after the FIRST event
      expect(cs.resumeToken).toBeTruthy();
    } finally {
      await cs.close();
    }
    // Writes made while nobody listens are delivered after resuming.
    await c.insertMany([{ _id: 3 }, { _id: 4 }]);
    await c.deleteOne({ _id: 1 });
    const resumed = c.watch([], { resumeAfter: token, maxAwaitTimeMS: 200 });
    try {
      const events = await take(resumed, 4);
      expect(events.map((e) => `${e.operationType}:${e.documentKey._id}`)).toEqual(['insert:2', 'insert:3', 'insert:4', 'delete:1']);
      expect(await within(5_000, resumed.tryNext())).toBeNull();
    } finally {
      await resumed.close();
    }
  });

  it('startAfter behaves like resumeAfter for ordinary events', async () => {
    const c = db.collection<any>('resume');
    const cs = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    let token: unknown;
    try {
      await c.insertOne({ _id: 10 });
      token = (await take(cs, 1))[0]._id;
    } finally {
      await cs.close();
    }
    await c.insertOne({ _id: 11 });
    const again = c.watch([], { startAfter: token, maxAwaitTimeMS: 200 });
    try {
      expect((await take(again, 1))[0].documentKey).toEqual({ _id: 11 });
    } finally {
      await again.close();
    }
  });

  it('a $match pipeline filters events', async () => {
    const c = db.collection<any>('filtered');
    const cs = await opened(
      c.watch([{ $match: { operationType: 'insert', 'fullDocument.kind': 'wanted' } }, { $project: { 'fullDocument._id': 1, operationType: 1 } }], {
        maxAwaitTimeMS: 200,
      }),
    );
    try {
      await c.insertOne({ _id: 1, kind: 'other' });
      await c.insertOne({ _id: 2, kind: 'wanted' });
      await c.updateOne({ _id: 2 }, { $set: { kind: 'wanted', x: 1 } });
      await c.insertOne({ _id: 3, kind: 'wanted' });
      const events = await take(cs, 2);
      expect(events.map((e) => e.fullDocument._id)).toEqual([2, 3]);
      expect(events.every((e) => e.operationType === 'insert')).toBe(true);
      expect(events[0].fullDocument).toEqual({ _id: 2 });
      expect(await within(5_000, cs.tryNext())).toBeNull();
    } finally {
      await cs.close();
    }
  });

  it('watch on a database sees every collection, with ns naming each', async () => {
    const cs = await opened(db.watch([], { maxAwaitTimeMS: 200 }));
    try {
      await db.collection<any>('dbwide_a').insertOne({ _id: 'a' });
      await db.collection<any>('dbwide_b').insertOne({ _id: 'b' });
      await db.collection<any>('dbwide_a').deleteOne({ _id: 'a' });
      const events = await take(cs, 3);
      expect(events.map((e) => `${e.operationType}:${e.ns.coll}:${e.documentKey._id}`)).toEqual([
        'insert:dbwide_a:a',
        'insert:dbwide_b:b',
        'delete:dbwide_a:a',
      ]);
      expect(events.every((e) => e.ns.db === 'compat_change_streams')).toBe(true);
    } finally {
      await cs.close();
    }
  });

  it('events of a committed transaction appear once, none of an aborted one', async () => {
    const c = db.collection<any>('events');
    const cs = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await c.insertOne({ _id: 'aborted' }, { session });
      await session.abortTransaction();
      await session.withTransaction(async () => {
        await c.insertOne({ _id: 't1' }, { session });
        await c.insertOne({ _id: 't2' }, { session });
      });
      const events = await take(cs, 2);
      expect(events.map((e) => e.documentKey._id)).toEqual(['t1', 't2']);
      expect(await within(5_000, cs.tryNext())).toBeNull();
    } finally {
      await session.endSession();
      await cs.close();
    }
  });
});
