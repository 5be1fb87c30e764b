/**
 * Gaps found after the first version: types of copied aggregation values, a failed journal,
 * per-server compaction, loud replay failures, default logging of durable servers, collections
 * created by aborted transactions and too-old retryable writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Double, Int32, Long, MongoClient, type Db } from 'mongodb';
import { BSON } from 'bson';
import type { Journal, JournalOp } from '../../src/contracts.js';
import { startServer } from '../../src/server.js';
import { createIndexSet } from '../../src/indexes/index.js';
import { startEmbeddedMongo } from '../../src/index.js';
import { compactNow, replayJournal } from '../../src/engine/durability.js';
import type { ServerState } from '../../src/commands/context.js';
import { Catalog } from '../../src/engine/catalog.js';
import { startHarness, withOwnClient, type Harness } from './helpers.js';

let h: Harness;
let db: Db;
beforeAll(async () => { h = await startHarness(); db = h.client.db('gaps'); });
afterAll(async () => h.close());

const RAW = { promoteValues: false, promoteLongs: false } as const;

/** A journal held in memory whose commits can be made to fail, as a full or broken disk would. */
class FlakyJournal implements Journal {
  failing = false;
  committed: JournalOp[][] = [];
  constructor(private readonly replay: JournalOp[][] = []) {}
  async *open(): AsyncIterable<JournalOp[]> { yield* this.replay; }
  commit(batch: JournalOp[]): Promise<void> {
    if (this.failing) return Promise.reject(new Error('ENOSPC: no space left on device'));
    this.committed.push(batch);
    return Promise.resolve();
  }
  compacts = 0;
  gate: Promise<void> = Promise.resolve();
  async compact(state: () => Iterable<JournalOp>): Promise<void> { this.compacts++; [...state()]; await this.gate; }
  sizeSinceCompaction(): number { return 0; }
  async close(): Promise<void> {}
}

describe('aggregation keeps BSON types of copied values', () => {
  it('a whole-number Double copied to a new name or through $first/$push stays a Double', async () => {
    const c = db.collection<any>('typed_copy');
    await c.insertMany([{ _id: 1, d: new Double(5), i: new Int32(5), n: { d: new Double(2) } }, { _id: 2, d: new Double(7), i: new Int32(7), n: { d: new Double(3) } }]);
    const [p] = await c.aggregate([{ $match: { _id: 1 } }, { $addFields: { copy: '$d', icopy: '$i', nd: '$n.d' } }, { $project: { copy: 1, icopy: 1, nd: 1, renamed: '$copy' } }], RAW).toArray();
    expect(p!.copy).toBeInstanceOf(Double);
    expect(p!.renamed).toBeInstanceOf(Double);
    expect(p!.nd).toBeInstanceOf(Double);
    expect(p!.icopy).toBeInstanceOf(Int32);
    const [g] = await c.aggregate([{ $sort: { _id: 1 } }, { $group: { _id: null, f: { $first: '$d' }, l: { $last: '$d' }, all: { $push: '$d' }, ints: { $push: '$i' }, sum: { $sum: '$i' } } }], RAW).toArray();
    expect(g!.f).toBeInstanceOf(Double);
    expect(g!.l).toBeInstanceOf(Double);
    expect(g!.all.map((x: unknown) => x instanceof Double)).toEqual([true, true]);
    expect(g!.ints.map((x: unknown) => x instanceof Int32)).toEqual([true, true]);
    expect(g!.sum).toBeInstanceOf(Int32);
    // Through a $group keyed by a copied field, and a leading $group that decodes only some fields.
    const byD = await c.aggregate([{ $group: { _id: '$d', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], RAW).toArray();
    expect(byD.map((x) => x._id instanceof Double)).toEqual([true, true]);
  });
});

describe('a failed journal', () => {
  it('refuses every read and write afterwards, so unsaved data is never shown, and says why', async () => {
    const journal = new FlakyJournal();
    const logs: string[] = [];
    const server = await startServer({ port: 0, journal, indexFactory: createIndexSet, log: (l) => logs.push(l) });
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000, retryWrites: false, retryReads: false });
    try {
      const c = client.db('jf').collection<any>('docs');
      await c.insertOne({ _id: 1 });
      journal.failing = true;
      const err = await c.insertOne({ _id: 2 }).catch((e) => e);
      expect(err.message).toMatch(/journal failed.*ENOSPC/);
      const read = await c.findOne({ _id: 2 }).catch((e) => e);
      expect(read.message).toMatch(/refuses reads and writes/);
      expect((await c.insertOne({ _id: 3 }).catch((e) => e)).message).toMatch(/journal failed/);
      expect(logs.filter((l) => l.startsWith('JOURNAL FAILURE'))).toHaveLength(1);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
      await server.stop();
    }
    // Nothing the failed commit carried ever reached the (simulated) disk.
    expect(journal.committed.flat().filter((o) => o.op === 'put').map((o) => BSON.deserialize((o as { doc: Uint8Array }).doc)._id)).toEqual([1]);
  });
});

function fakeState(journal: Journal, log: (l: string) => void = () => {}): ServerState {
  return { catalog: new Catalog(createIndexSet), journal, log } as unknown as ServerState;
}

describe('durability bookkeeping', () => {
  it('compaction in one server does not stop another in the same process from compacting', async () => {
    const a = new FlakyJournal();
    let open!: () => void;
    a.gate = new Promise((r) => { open = r; });
    const b = new FlakyJournal();
    const first = compactNow(fakeState(a));
    await compactNow(fakeState(b));
    expect(b.compacts).toBe(1);
    open();
    await first;
    expect(a.compacts).toBe(1);
  });

  it('replay counts the ops it could not apply and reports them in one loud line', async () => {
    const good = { op: 'put', db: 'r', coll: 'c', doc: BSON.serialize({ _id: 1 }) } as JournalOp;
    const bad = { op: 'put', db: 'r', coll: 'c', doc: new Uint8Array([1, 2, 3]) } as JournalOp;
    const logs: string[] = [];
    const state = fakeState(new FlakyJournal([[good, bad], [bad]]), (l) => logs.push(l));
    const out = await replayJournal(state, state.journal!);
    expect(out.failed).toBe(2);
    const warn = logs.filter((l) => l.includes('WARNING'));
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(/2 of 3 ops could not be applied.*first error: put r\.c/);
    expect(state.catalog.getColl('r', 'c')!.records.size).toBe(1);
  });

  it('a server with a data directory logs to stderr by default; an in-memory one stays quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-log-'));
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const mem = await startEmbeddedMongo({ port: 0 });
      await mem.stop();
      expect(write).not.toHaveBeenCalled();
      const durable = await startEmbeddedMongo({ port: 0, dataDir: dir });
      await durable.stop();
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^\[embedded-mongo\] .*listening/m);
    } finally {
      write.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sessions', () => {
  it('a collection created implicitly by an aborted transaction does not survive it', async () => {
    const s = h.client.startSession();
    s.startTransaction();
    await db.collection<any>('born_in_txn').insertOne({ _id: 1 }, { session: s });
    await s.abortTransaction();
    await s.endSession();
    const names = (await db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('born_in_txn');

    const t = h.client.startSession();
    await t.withTransaction(async () => { await db.collection<any>('born_committed').insertOne({ _id: 1 }, { session: t }); });
    await t.endSession();
    expect((await db.listCollections().toArray()).map((c) => c.name)).toContain('born_committed');
  });

  it('a retryable write with a txnNumber lower than the last one seen fails with TransactionTooOld', async () => {
    // A client of its own: the session sees numbers its driver did not issue (see withOwnClient).
    await withOwnClient(h.server.uri, async (client) => {
      const s = client.startSession();
      const own = client.db(db.databaseName);
      const cmd = (n: number) => ({ insert: 'too_old', documents: [{ n }], txnNumber: Long.fromNumber(n) });
      await own.command(cmd(10), { session: s });
      const err = await own.command(cmd(9), { session: s }).catch((e) => e);
      expect(err.code).toBe(225);
      expect(err.codeName).toBe('TransactionTooOld');
      expect(err.message).toMatch(/txnNumber 9 is prohibited.*txnNumber 10/);
      await s.endSession();
    });
    expect(await db.collection('too_old').countDocuments()).toBe(1);
  });

  it('a higher txnNumber on a session aborts the transaction it had open', async () => {
    await withOwnClient(h.server.uri, async (client) => {
      const s = client.startSession();
      const own = client.db(db.databaseName);
      await own.command({ insert: 'superseded', documents: [{ _id: 'in-txn' }], txnNumber: Long.fromNumber(3), startTransaction: true, autocommit: false }, { session: s });
      await own.command({ insert: 'superseded', documents: [{ _id: 'plain' }], txnNumber: Long.fromNumber(4) }, { session: s });
      const commit = await client.db('admin').command({ commitTransaction: 1, txnNumber: Long.fromNumber(3), autocommit: false }, { session: s }).catch((e) => e);
      expect(commit.code).toBe(225);
      await s.endSession();
    });
    expect(await db.collection('superseded').find().map((d) => d._id).toArray()).toEqual(['plain']);
  });
});
