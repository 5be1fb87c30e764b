/**
 * Change streams: event shapes, updateDescription, updateLookup, resume tokens, pipelines,
 * database and cluster scope, transactions at commit, invalidate on drop, awaiting getMore.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeStream, Db, Document } from 'mongodb';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let db: Db;
beforeAll(async () => { h = await startHarness(); db = h.client.db('cs'); });
afterAll(async () => h.close());

async function opened(cs: ChangeStream): Promise<ChangeStream> {
  await cs.tryNext(); // runs the aggregate so the stream starts now
  return cs;
}

describe('change streams', () => {
  it('reports insert, update (with updateDescription), replace and delete in order', async () => {
    const c = db.collection<any>('events');
    const cs = await opened(c.watch([], { maxAwaitTimeMS: 200 }));
    await c.insertOne({ _id: 1, a: 1, nested: { x: 1 }, gone: true });
    await c.updateOne({ _id: 1 }, { $set: { a: 2, 'nested.x': 5 }, $unset: { gone: '' } });
    await c.replaceOne({ _id: 1 }, { b: 1 });
    await c.deleteOne({ _id: 1 });
    const ev: Document[] = [];
    while (ev.length < 4) ev.push((await cs.next()) as Document);
    expect(ev.map((e) => e.operationType)).toEqual(['insert', 'update', 'replace', 'delete']);
    expect(ev[0]).toMatchObject({ ns: { db: 'cs', coll: 'events' }, documentKey: { _id: 1 }, fullDocument: { _id: 1, a: 1 } });
    expect(ev[1]!.updateDescription).toEqual({ updatedFields: { a: 2, 'nested.x': 5 }, removedFields: ['gone'], truncatedArrays: [] });
    expect(ev[2]!.fullDocument).toEqual({ _id: 1, b: 1 });
    expect(ev[0]!._id._data).toMatch(/^[0-9a-f]+$/);
    await cs.close();
  });

  it('fullDocument updateLookup returns the current document', async () => {
    const c = db.collection<any>('lookup');
    await c.insertOne({ _id: 1, n: 0 });
    const cs = await opened(c.watch([], { fullDocument: 'updateLookup' }));
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    const e = (await cs.next()) as Document;
    expect(e.fullDocument).toEqual({ _id: 1, n: 1 });
    await cs.close();
  });

  it('resumes after a token and applies $match pipelines', async () => {
    const c = db.collection<any>('resume');
    const cs = await opened(c.watch([{ $match: { operationType: 'insert' } }]));
    await c.insertOne({ _id: 1 });
    await c.deleteOne({ _id: 1 });
    await c.insertOne({ _id: 2 });
    const first = (await cs.next()) as Document;
    await cs.close();
    const resumed = c.watch([{ $match: { operationType: 'insert' } }], { resumeAfter: first._id });
    const next = (await resumed.next()) as Document;
    expect(next.documentKey).toEqual({ _id: 2 });
    await resumed.close();
  });

  it('database and cluster scope; transaction events appear at commit with lsid and txnNumber', async () => {
    const dbStream = await opened(db.watch());
    const cluster = await opened(h.client.watch());
    const s = h.client.startSession();
    await s.withTransaction(async () => {
      await db.collection<any>('t1').insertOne({ _id: 1 }, { session: s });
      await db.collection<any>('t2').insertOne({ _id: 2 }, { session: s });
    });
    await s.endSession();
    const a = (await dbStream.next()) as Document;
    const b = (await dbStream.next()) as Document;
    expect([a.ns.coll, b.ns.coll].sort()).toEqual(['t1', 't2']);
    expect(a.lsid).toBeDefined();
    expect(a.txnNumber).toBeDefined();
    const c = (await cluster.next()) as Document;
    expect(c.ns.db).toBe('cs');
    await dbStream.close();
    await cluster.close();
  });

  it('a collection stream sees drop then invalidate', async () => {
    const c = db.collection<any>('dropme');
    await c.insertOne({ _id: 1 });
    const cs = await opened(c.watch());
    await c.drop();
    expect(((await cs.next()) as Document).operationType).toBe('drop');
    expect(((await cs.next()) as Document).operationType).toBe('invalidate');
    await cs.close();
  });

  it('getMore waits up to maxAwaitTimeMS, returns empty, and carries postBatchResumeToken', async () => {
    const agg = await db.command({ aggregate: 'idle', pipeline: [{ $changeStream: {} }], cursor: {} });
    expect(agg.cursor.postBatchResumeToken._data).toBeDefined();
    const started = Date.now();
    const more = await db.command({ getMore: agg.cursor.id, collection: 'idle', maxTimeMS: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(more.cursor.nextBatch).toEqual([]);
    expect(more.cursor.postBatchResumeToken._data).toBeDefined();
    await db.command({ killCursors: 'idle', cursors: [agg.cursor.id] });
  });

  it('fullDocument whenAvailable is refused with NotImplemented rather than silently ignored', async () => {
    const err = await db.command({ aggregate: 'x', pipeline: [{ $changeStream: { fullDocument: 'required' } }], cursor: {} }).catch((e) => e);
    expect(err.code).toBe(238);
  });
});
