/**
 * With a data directory: every acknowledged write (documents, indexes, DDL, transactions) is
 * back after a restart; without one, nothing is written anywhere.
 */
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Long } from 'mongodb';
import { startHarness } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durability', () => {
  it('restores documents, indexes, renames, drops and committed transactions after a restart', async () => {
    const a = await startHarness({ dataDir: dir });
    const db = a.client.db('dur');
    await db.collection<any>('docs').insertMany([{ _id: 1, d: new Double(2), l: Long.fromString('9007199254740993'), m: Decimal128.fromString('0.1') }, { _id: 2 }]);
    await db.collection<any>('docs').updateOne({ _id: 2 }, { $set: { v: 'x' } });
    await db.collection<any>('docs').deleteOne({ _id: 1 });
    await db.collection<any>('docs').insertOne({ _id: 1, back: true });
    await db.collection<any>('docs').createIndex({ v: 1 }, { unique: true, name: 'v_unique' });
    await db.collection<any>('old').insertOne({ _id: 'r' });
    await db.collection<any>('old').rename('renamed');
    await db.collection<any>('gone').insertOne({ _id: 1 });
    await db.collection<any>('gone').drop();
    const s = a.client.startSession();
    await s.withTransaction(async () => {
      await db.collection<any>('txn').insertOne({ _id: 1 }, { session: s });
      await db.collection<any>('txn').insertOne({ _id: 2 }, { session: s });
    });
    await s.endSession();
    const aborted = a.client.startSession();
    aborted.startTransaction();
    await db.collection<any>('txn').insertOne({ _id: 3 }, { session: aborted });
    await aborted.abortTransaction();
    await aborted.endSession();
    await a.close();

    const b = await startHarness({ dataDir: dir });
    const db2 = b.client.db('dur');
    expect(await db2.collection<any>('docs').find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, back: true }, { _id: 2, v: 'x' }]);
    expect((await db2.collection<any>('docs').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'v_unique']);
    expect((await db2.collection<any>('docs').insertOne({ v: 'x' }).catch((e) => e)).code).toBe(11000);
    const names = (await db2.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['docs', 'renamed', 'txn']);
    expect(await db2.collection<any>('txn').countDocuments()).toBe(2);
    await b.close();
  });

  it('keeps BSON types through the journal', async () => {
    const a = await startHarness({ dataDir: dir });
    await a.client.db('dur').collection<any>('types').insertOne({ _id: 1, d: new Double(2), l: Long.fromString('9007199254740993'), m: Decimal128.fromString('0.1') });
    await a.close();
    const b = await startHarness({ dataDir: dir });
    const raw = await b.client.db('dur').collection<any>('types').findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false } as never);
    expect(raw!.d).toBeInstanceOf(Double);
    expect(raw!.l.toString()).toBe('9007199254740993');
    expect(raw!.m.toString()).toBe('0.1');
    await b.close();
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
