import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalOp } from '../../src/contracts.js';
import { createFileJournal } from '../../src/journal/index.js';
import { del, openAndReplay, put, removeDir, StrictModel, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
const newDir = () => {
  const d = tempDir('compact');
  dirs.push(d);
  return d;
};
const files = (dir: string) => fs.readdirSync(dir).filter((n) => !n.endsWith('.lock')).sort();

/** Replays a directory into a fresh strict model (throws on duplicated or reordered batches). */
async function replayModel(dir: string) {
  const { journal, batches, logs } = await openAndReplay(dir);
  const model = new StrictModel();
  for (const op of batches.flat()) model.apply(op);
  return { journal, model, batches, logs };
}

/** Applies to the live model and commits in the same synchronous step, as the engine does. */
function write(journal: ReturnType<typeof createFileJournal>, model: StrictModel, ops: JournalOp[]) {
  for (const op of ops) model.apply(op);
  return journal.commit(ops);
}

describe('compaction', () => {
  it('compact, more writes, reopen: snapshot then journal, old generation removed', async () => {
    const dir = newDir();
    const model = new StrictModel();
    const { journal } = await openAndReplay(dir);
    await write(journal, model, [{ op: 'createCollection', db: 'd', coll: 'c', options: {} }]);
    for (let i = 0; i < 50; i++) await write(journal, model, [put('d', 'c', { _id: i, v: 'x'.repeat(100) })]);
    for (let i = 0; i < 50; i += 2) await write(journal, model, [del('d', 'c', i)]);
    const before = journal.sizeSinceCompaction();
    expect(before).toBeGreaterThan(5000);
    await journal.compact(() => model.stateOps());
    expect(journal.sizeSinceCompaction()).toBe(0);
    expect(files(dir)).toEqual(['snapshot-00000001.bson']);
    for (let i = 100; i < 110; i++) await write(journal, model, [put('d', 'c', { _id: i })]);
    await write(journal, model, [del('d', 'c', 1)]);
    expect(files(dir)).toEqual(['journal-00000001.log', 'snapshot-00000001.bson']);
    await journal.close();

    const again = await replayModel(dir);
    expect(again.logs).toEqual([]);
    expect(again.model.snapshot()).toEqual(model.snapshot());
    expect(again.journal.sizeSinceCompaction()).toBe(fs.statSync(path.join(dir, 'journal-00000001.log')).size);
    // A second compaction after reopening moves on to the next generation.
    await again.journal.compact(() => again.model.stateOps());
    await again.journal.close();
    expect(files(dir)).toEqual(['snapshot-00000002.bson']);
    expect((await replayModel(dir).then(async (r) => (await r.journal.close(), r))).model.snapshot()).toEqual(model.snapshot());
  });

  it('writes during compaction are neither lost nor replayed twice nor reordered', async () => {
    const dir = newDir();
    const model = new StrictModel();
    const { journal } = await openAndReplay(dir);
    const compactions: Promise<void>[] = [];
    let ticks = 0;
    const worker = async (w: number) => {
      let gen = 0;
      let coll = `w${w}_0`;
      await write(journal, model, [{ op: 'createCollection', db: 'd', coll, options: {} }]);
      for (let i = 0; i < 300; i++) {
        const pending: Promise<void>[] = [];
        if (i % 50 === 49) {
          // Not idempotent: replaying it twice, or before its puts, fails the strict model.
          const to = `w${w}_${++gen}`;
          pending.push(write(journal, model, [{ op: 'renameCollection', fromDb: 'd', fromColl: coll, toDb: 'd', toColl: to }]));
          coll = to;
        } else if (i % 7 === 6) {
          pending.push(write(journal, model, [del('d', coll, i - 1)]));
        } else {
          pending.push(write(journal, model, [put('d', coll, { _id: i, w }), put('d', coll, { _id: `${i}b`, w })]));
        }
        if (++ticks % 400 === 150) compactions.push(journal.compact(() => model.stateOps()));
        await Promise.all(pending);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await Promise.all(compactions);
    expect(compactions.length).toBeGreaterThanOrEqual(5);
    expect(journal.stats.compactions).toBe(compactions.length);
    await journal.close();
    const again = await replayModel(dir);
    await again.journal.close();
    expect(again.model.snapshot()).toEqual(model.snapshot());
    // Only the newest generation remains.
    expect(files(dir).filter((n) => n.startsWith('snapshot-')).length).toBe(1);
  });

  it('a compaction whose state() throws leaves the journal intact and usable', async () => {
    const dir = newDir();
    const model = new StrictModel();
    const { journal } = await openAndReplay(dir);
    await write(journal, model, [{ op: 'createCollection', db: 'd', coll: 'c', options: {} }, put('d', 'c', { _id: 1 })]);
    await expect(journal.compact(() => { throw new Error('boom'); })).rejects.toThrow('boom');
    await write(journal, model, [put('d', 'c', { _id: 2 })]);
    await journal.close();
    const again = await replayModel(dir);
    await again.journal.close();
    expect(again.model.snapshot()).toEqual(model.snapshot());
  });
});

describe('crash in the middle of compaction (simulated from the files it leaves)', () => {
  /**
   * Builds gen 0 (A writes), compacts to gen 1, writes B; returns the model and the bytes of
   * journal-0 as they were before the compaction removed it.
   */
  async function twoGenerations(dir: string) {
    const model = new StrictModel();
    const { journal } = await openAndReplay(dir);
    await write(journal, model, [{ op: 'createCollection', db: 'd', coll: 'c', options: {} }]);
    for (let i = 0; i < 20; i++) await write(journal, model, [put('d', 'c', { _id: `A${i}` })]);
    const journal0 = fs.readFileSync(path.join(dir, 'journal-00000000.log'));
    await journal.compact(() => model.stateOps());
    for (let i = 0; i < 5; i++) await write(journal, model, [put('d', 'c', { _id: `B${i}` }), del('d', 'c', `A${i}`)]);
    await journal.close();
    return { model, journal0 };
  }

  it('killed before the snapshot was renamed: old snapshot chain + new journal, temp file removed', async () => {
    const dir = newDir();
    const { model, journal0 } = await twoGenerations(dir);
    const snap = path.join(dir, 'snapshot-00000001.bson');
    const half = fs.readFileSync(snap).subarray(0, 100);
    fs.rmSync(snap);
    fs.writeFileSync(`${snap}.tmp`, half); // the snapshot was being written
    fs.writeFileSync(path.join(dir, 'journal-00000000.log'), journal0); // not yet deleted
    const again = await replayModel(dir);
    expect(again.model.snapshot()).toEqual(model.snapshot());
    expect(again.logs.join('\n')).toContain('snapshot-00000001.bson.tmp');
    expect(files(dir)).toEqual(['journal-00000000.log', 'journal-00000001.log']);
    // And it carries on: new writes, a new compaction, a reopen.
    await write(again.journal, again.model, [put('d', 'c', { _id: 'C' })]);
    await again.journal.compact(() => again.model.stateOps());
    await again.journal.close();
    expect(files(dir)).toEqual(['snapshot-00000002.bson']);
    const third = await replayModel(dir);
    await third.journal.close();
    expect(third.model.snapshot()).toEqual(again.model.snapshot());
  });

  it('killed after the rename but before old files were deleted: new snapshot wins, old files removed', async () => {
    const dir = newDir();
    const { model, journal0 } = await twoGenerations(dir);
    fs.writeFileSync(path.join(dir, 'journal-00000000.log'), journal0);
    const again = await replayModel(dir);
    await again.journal.close();
    expect(again.model.snapshot()).toEqual(model.snapshot());
    expect(files(dir)).toEqual(['journal-00000001.log', 'snapshot-00000001.bson']);
  });

  it('killed right after the cut, before any snapshot byte: new journal follows the old one', async () => {
    const dir = newDir();
    const { model, journal0 } = await twoGenerations(dir);
    fs.rmSync(path.join(dir, 'snapshot-00000001.bson'));
    fs.writeFileSync(path.join(dir, 'journal-00000000.log'), journal0);
    const again = await replayModel(dir);
    await again.journal.close();
    expect(again.model.snapshot()).toEqual(model.snapshot());
  });

  it('damage in a journal that is not the last one cuts the history there and sets later journals aside', async () => {
    const dir = newDir();
    const { journal0 } = await twoGenerations(dir);
    fs.rmSync(path.join(dir, 'snapshot-00000001.bson'));
    fs.writeFileSync(path.join(dir, 'journal-00000000.log'), journal0.subarray(0, journal0.length - 3));
    const again = await replayModel(dir);
    await again.journal.close();
    // createCollection + A0..A18: the last A record was damaged, and everything after it is dropped.
    expect(again.batches.length).toBe(20);
    expect(again.logs.length).toBe(1);
    expect(again.logs[0]).toMatch(/CORRUPTION in journal .*journal-00000000\.log/);
    expect(again.logs[0]).toContain('journal-00000001.log');
    expect(fs.readdirSync(dir).some((n) => n.startsWith('journal-00000001.log.discarded-'))).toBe(true);
    expect(fs.readdirSync(dir).some((n) => n === 'journal-00000001.log')).toBe(false);
  });

  it('a damaged snapshot (impossible without storage failure) stops the start with a clear error', async () => {
    const dir = newDir();
    await twoGenerations(dir);
    const snap = path.join(dir, 'snapshot-00000001.bson');
    const bytes = fs.readFileSync(snap);
    fs.writeFileSync(snap, bytes.subarray(0, bytes.length - 10));
    const journal = createFileJournal(dir, () => {});
    await expect(async () => {
      for await (const _ of journal.open());
    }).rejects.toThrow(/snapshot .*snapshot-00000001\.bson is corrupt/);
    // The lock was released: a repaired directory can be opened again.
    fs.writeFileSync(snap, bytes);
    const again = await replayModel(dir);
    await again.journal.close();
  });
});
