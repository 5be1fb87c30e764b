import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BSON, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import type { JournalOp } from '../../src/contracts.js';
import { createFileJournal } from '../../src/journal/index.js';
import { encodeBatchRecord, encodeBatchRecordGeneric } from '../../src/journal/record-format.js';
import { del, openAndReplay, put, removeDir, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
const newDir = () => {
  const d = tempDir('roundtrip');
  dirs.push(d);
  return d;
};

const typedDoc = {
  _id: new ObjectId(),
  i: new Int32(1),
  d: new Double(1),
  big: Long.fromString('9007199254740993'),
  dec: Decimal128.fromString('0.1'),
  s: 'text',
  nested: { arr: [1, 'two', null] },
};

const allKinds: JournalOp[] = [
  { op: 'createCollection', db: 'app', coll: 'users', options: { capped: false, validator: { age: { $gte: 0 } } } },
  { op: 'createIndex', db: 'app', coll: 'users', spec: { v: 2, name: 'email_1', key: { email: 1 }, unique: true, partialFilterExpression: { email: { $exists: true } } } },
  { op: 'collMod', db: 'app', coll: 'users', options: { validationLevel: 'moderate' } },
  put('app', 'users', typedDoc),
  put('app', 'users', { _id: 2, email: 'x@y' }),
  del('app', 'users', 2),
  { op: 'dropIndex', db: 'app', coll: 'users', name: 'email_1' },
  { op: 'renameCollection', fromDb: 'app', fromColl: 'users', toDb: 'app', toColl: 'people' },
  { op: 'dropCollection', db: 'app', coll: 'people' },
  { op: 'dropDatabase', db: 'app' },
];

describe('journal round trip', () => {
  it('replays every op kind in order, batches intact, document bytes exact', async () => {
    const dir = newDir();
    const first = await openAndReplay(dir);
    expect(first.batches).toEqual([]);
    await first.journal.commit(allKinds.slice(0, 3));
    await first.journal.commit(allKinds.slice(3, 6));
    await first.journal.commit(allKinds.slice(6));
    await first.journal.commit([]); // an empty batch is legal and replays as empty
    await first.journal.close();

    const { batches, logs, journal } = await openAndReplay(dir);
    await journal.close();
    expect(logs).toEqual([]);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 4, 0]);
    const ops = batches.flat();
    expect(ops.map((o) => o.op)).toEqual(allKinds.map((o) => o.op));
    // Document bytes come back byte for byte, so BSON types survive.
    const putBack = ops[3] as Extract<JournalOp, { op: 'put' }>;
    expect(Buffer.from(putBack.doc)).toEqual(Buffer.from((allKinds[3] as Extract<JournalOp, { op: 'put' }>).doc));
    const doc = BSON.deserialize(putBack.doc, { promoteValues: false });
    expect(doc.i).toBeInstanceOf(Int32);
    expect(doc.d).toBeInstanceOf(Double);
    expect(doc.big.toString()).toBe('9007199254740993');
    expect(doc.dec.toString()).toBe('0.1');
    const delBack = ops[5] as Extract<JournalOp, { op: 'delete' }>;
    expect(BSON.deserialize(delBack.id)).toEqual({ _id: 2 });
    // Metadata documents keep their shape.
    expect(ops[0]).toEqual(allKinds[0]);
    expect(ops[1]).toEqual(allKinds[1]);
    expect(ops[7]).toEqual(allKinds[7]);
  });

  it('continues appending to the existing journal after a reopen', async () => {
    const dir = newDir();
    for (let round = 0; round < 3; round++) {
      const { journal, batches } = await openAndReplay(dir);
      expect(batches.length).toBe(round);
      await journal.commit([put('db', 'c', { _id: round })]);
      await journal.close();
    }
    const { journal, batches } = await openAndReplay(dir);
    await journal.close();
    expect(batches.flat().map((o) => BSON.deserialize((o as { doc: Uint8Array }).doc)._id)).toEqual([0, 1, 2]);
  });

  it('close() flushes commits that were not awaited', async () => {
    const dir = newDir();
    const { journal } = await openAndReplay(dir);
    const pending = Array.from({ length: 200 }, (_, i) => journal.commit([put('db', 'c', { _id: i })]));
    await journal.close();
    await Promise.all(pending);
    await expect(journal.commit([put('db', 'c', { _id: -1 })])).rejects.toThrow(/closed/);
    const again = await openAndReplay(dir);
    await again.journal.close();
    expect(again.batches.length).toBe(200);
  });

  it('rejects commits before replay has finished and refuses a second open()', async () => {
    const dir = newDir();
    const journal = createFileJournal(dir, () => {});
    await expect(journal.commit([])).rejects.toThrow(/before open/);
    for await (const _ of journal.open());
    expect(() => journal.open()).toThrow(/only once/);
    await journal.close();
  });

  it('writes the file format of the spec: [u32 length][u32 crc32][BSON {ops}]', async () => {
    const dir = newDir();
    const { journal } = await openAndReplay(dir);
    await journal.commit([put('db', 'c', { _id: 1 })]);
    await journal.close();
    const file = fs.readdirSync(dir).find((n) => n.startsWith('journal-'))!;
    const bytes = fs.readFileSync(path.join(dir, file));
    const length = bytes.readUInt32LE(0);
    expect(bytes.length).toBe(8 + length);
    const { crc32 } = await import('node:zlib');
    expect(bytes.readUInt32LE(4)).toBe(crc32(bytes.subarray(8)));
    expect(Object.keys(BSON.deserialize(bytes.subarray(8)))).toEqual(['ops']);
  });

  it('the hand-laid put/delete encoding is byte-identical to generic BSON', () => {
    const many: JournalOp[] = [];
    for (let i = 0; i < 120; i++) many.push(i % 3 ? put('dbé', `côll.${i}`, { _id: i, s: 'ü'.repeat(i) }) : del('d', 'c', i));
    const withExtraField = { ...put('d', 'c', { _id: 1 }), extra: 1 } as unknown as JournalOp;
    for (const batch of [[], allKinds, many, [withExtraField], [put('d', 'c', {})]]) {
      expect(encodeBatchRecord(batch).equals(encodeBatchRecordGeneric(batch))).toBe(true);
    }
  });

  it('after a failed write every commit rejects (never a false acknowledgement) and it is logged', async () => {
    const dir = newDir();
    const { journal, logs } = await openAndReplay(dir);
    await journal.commit([put('d', 'c', { _id: 1 })]);
    // Pull the file out from under the journal: the next write fails with EBADF.
    await (journal as unknown as { writer: { fh: { close(): Promise<void> } } }).writer.fh.close();
    const results = await Promise.allSettled([journal.commit([put('d', 'c', { _id: 2 })]), journal.commit([put('d', 'c', { _id: 3 })])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(journal.commit([put('d', 'c', { _id: 4 })])).rejects.toThrow(/not writable/);
    expect(logs.filter((l) => l.includes('JOURNAL WRITE FAILED')).length).toBe(1);
    await journal.close();
    const again = await openAndReplay(dir);
    await again.journal.close();
    expect(again.batches.length).toBe(1);
  });
});
