import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BSON } from 'bson';
import type { JournalOp } from '../../src/contracts.js';
import { openAndReplay, put, removeDir, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

/** A directory whose journal holds `count` single-put batches; returns the journal path and record offsets. */
async function journalWith(count: number) {
  const dir = tempDir('torn');
  dirs.push(dir);
  const { journal } = await openAndReplay(dir);
  for (let i = 0; i < count; i++) await journal.commit([put('db', 'c', { _id: i, pad: 'x'.repeat(i * 7) })]);
  await journal.close();
  const file = path.join(dir, fs.readdirSync(dir).find((n) => n.startsWith('journal-'))!);
  const bytes = fs.readFileSync(file);
  const offsets: number[] = [];
  for (let pos = 0; pos < bytes.length; pos += 8 + bytes.readUInt32LE(pos)) offsets.push(pos);
  expect(offsets.length).toBe(count);
  return { dir, file, bytes, offsets };
}

const ids = (batches: JournalOp[][]) => batches.flat().map((o) => BSON.deserialize((o as { doc: Uint8Array }).doc)._id);

describe('torn and corrupt journal tails', () => {
  it('truncates a tail torn at every byte offset of the last record, keeping earlier records', async () => {
    const { dir, file, bytes, offsets } = await journalWith(3);
    const last = offsets[2]!;
    for (let cut = last + 1; cut < bytes.length; cut++) {
      fs.writeFileSync(file, bytes.subarray(0, cut));
      const { journal, batches, logs } = await openAndReplay(dir);
      expect(ids(batches)).toEqual([0, 1]);
      expect(logs.length).toBe(1);
      expect(logs[0]).toContain(`dropped ${cut - last} bytes at offset ${last}`);
      expect(logs[0]).toContain('torn tail');
      expect(fs.statSync(file).size).toBe(last);
      // The journal keeps working after the truncation.
      await journal.commit([put('db', 'c', { _id: 'after' })]);
      await journal.close();
      const again = await openAndReplay(dir);
      await again.journal.close();
      expect(again.logs).toEqual([]);
      expect(ids(again.batches)).toEqual([0, 1, 'after']);
    }
  });

  it('a clean end of file at a record boundary is not damage', async () => {
    const { dir } = await journalWith(3);
    const { journal, batches, logs } = await openAndReplay(dir);
    await journal.close();
    expect(ids(batches)).toEqual([0, 1, 2]);
    expect(logs).toEqual([]);
  });

  it('truncates a last record whose CRC does not match', async () => {
    const { dir, file, bytes, offsets } = await journalWith(3);
    const damaged = Buffer.from(bytes);
    damaged[bytes.length - 3]! ^= 0xff;
    fs.writeFileSync(file, damaged);
    const { journal, batches, logs } = await openAndReplay(dir);
    await journal.close();
    expect(ids(batches)).toEqual([0, 1]);
    expect(logs.length).toBe(1);
    expect(logs[0]).toMatch(/bad CRC/);
    expect(logs[0]).toContain(`at offset ${offsets[2]}`);
    expect(fs.statSync(file).size).toBe(offsets[2]);
  });

  it('truncates a last record with a valid CRC but unparsable BSON', async () => {
    const { dir, file, bytes, offsets } = await journalWith(2);
    const garbage = Buffer.from('not bson at all, definitely');
    const header = Buffer.alloc(8);
    header.writeUInt32LE(garbage.length, 0);
    header.writeUInt32LE(crc32(garbage), 4);
    fs.writeFileSync(file, Buffer.concat([bytes, header, garbage]));
    const { journal, batches, logs } = await openAndReplay(dir);
    await journal.close();
    expect(ids(batches)).toEqual([0, 1]);
    expect(logs.length).toBe(1);
    expect(logs[0]).toMatch(/unparsable/);
    expect(fs.statSync(file).size).toBe(bytes.length);
    expect(offsets.length).toBe(2);
  });

  it('treats a zero-filled tail (preallocated or lost pages) as damage', async () => {
    const { dir, file, bytes } = await journalWith(2);
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(4096)]));
    const { journal, batches, logs } = await openAndReplay(dir);
    await journal.close();
    expect(ids(batches)).toEqual([0, 1]);
    expect(logs.length).toBe(1);
    expect(fs.statSync(file).size).toBe(bytes.length);
  });

  it('corruption in the middle ends the history there, loudly, and keeps the dropped bytes', async () => {
    const { dir, file, bytes, offsets } = await journalWith(5);
    const damaged = Buffer.from(bytes);
    damaged[offsets[2]! + 20]! ^= 0x01; // inside record 2's payload; records 3 and 4 are fine
    fs.writeFileSync(file, damaged);
    const { journal, batches, logs } = await openAndReplay(dir);
    expect(ids(batches)).toEqual([0, 1]);
    expect(logs.length).toBe(1);
    expect(logs[0]).toMatch(/CORRUPTION/);
    expect(logs[0]).toContain(`at offset ${offsets[2]}`);
    expect(logs[0]).toContain(`dropping ${bytes.length - offsets[2]!} bytes`);
    expect(fs.statSync(file).size).toBe(offsets[2]);
    const saved = fs.readdirSync(dir).find((n) => n.includes('.corrupt-'));
    expect(saved).toBeDefined();
    expect(fs.readFileSync(path.join(dir, saved!))).toEqual(damaged.subarray(offsets[2]!));
    await journal.commit([put('db', 'c', { _id: 'next' })]);
    await journal.close();
    const again = await openAndReplay(dir);
    await again.journal.close();
    expect(ids(again.batches)).toEqual([0, 1, 'next']);
    expect(again.logs).toEqual([]);
  });
});
