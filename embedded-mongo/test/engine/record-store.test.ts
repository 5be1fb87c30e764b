/**
 * The slab record store: what the engine relies on (Map-like behaviour, id-order iteration that
 * tolerates writes, views that never change once handed out) and that garbage is reclaimed.
 */
import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'bson';
import { RecordStore } from '../../src/engine/record-store.js';

const doc = (i: number, pad = 40) => Buffer.from(serialize({ _id: i, pad: 'x'.repeat(pad) }));
const idOf = (b: Buffer | undefined) => (b ? deserialize(b)._id : undefined);

describe('RecordStore', () => {
  it('stores copies and answers like a Map', () => {
    const s = new RecordStore();
    const src = doc(1);
    s.set(1, src);
    src.fill(0); // the caller's buffer (e.g. a request message) may be reused
    expect(idOf(s.get(1))).toBe(1);
    expect(s.has(1)).toBe(true);
    expect(s.has(2)).toBe(false);
    expect(s.get(2)).toBeUndefined();
    s.set(2, doc(2));
    expect(s.size).toBe(2);
    expect(s.delete(1)).toBe(true);
    expect(s.delete(1)).toBe(false);
    expect(s.size).toBe(1);
    expect([...s.keys()]).toEqual([2]);
  });

  it('iterates in record id order, across pages, and sees writes made during the walk', () => {
    const s = new RecordStore();
    for (let rid = 1; rid <= 3000; rid++) s.set(rid, doc(rid));
    for (let rid = 1100; rid <= 2200; rid++) s.delete(rid); // empties a whole 1024-id page
    const seen: number[] = [];
    for (const [rid, buf] of s) {
      expect(idOf(buf)).toBe(rid);
      seen.push(rid);
      if (rid === 10) s.delete(11);
      if (rid === 2999) s.set(3001, doc(3001));
    }
    expect(seen.length).toBe(3000 - 1101 - 1 + 1);
    expect(seen.includes(11)).toBe(false);
    expect(seen.at(-1)).toBe(3001);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('never changes a view it handed out, through replaces, deletes and compaction', () => {
    const s = new RecordStore();
    for (let rid = 1; rid <= 5000; rid++) s.set(rid, doc(rid, 200));
    const held = new Map<number, Buffer>();
    for (let rid = 1; rid <= 5000; rid += 7) held.set(rid, s.get(rid)!);
    const copies = new Map([...held].map(([rid, b]) => [rid, Buffer.from(b)]));
    // Replace every record twice with a different size and delete half: most slabs compact.
    for (let round = 0; round < 2; round++) for (let rid = 1; rid <= 5000; rid++) s.set(rid, doc(rid + round * 100_000, 100));
    for (let rid = 1; rid <= 5000; rid += 2) s.delete(rid);
    for (const [rid, b] of held) expect(b.equals(copies.get(rid)!)).toBe(true);
    expect(s.size).toBe(2500);
    for (let rid = 2; rid <= 5000; rid += 2) expect(idOf(s.get(rid))).toBe(rid + 100_000);
  });

  it('reclaims the space of replaced and deleted records', () => {
    const s = new RecordStore();
    for (let rid = 1; rid <= 2000; rid++) s.set(rid, doc(rid, 500));
    const full = s.allocatedBytes;
    for (let round = 0; round < 10; round++) for (let rid = 1; rid <= 2000; rid++) s.set(rid, doc(rid, 500));
    // Ten rounds of rewrites keep the footprint near one copy (plus the current, partly used slab).
    expect(s.allocatedBytes).toBeLessThan(full * 2.5);
    for (let rid = 1; rid <= 2000; rid++) s.delete(rid);
    expect(s.size).toBe(0);
    expect(s.allocatedBytes).toBeLessThan(full / 2);
  });

  it('keeps documents larger than a shared slab in slabs of their own', () => {
    const s = new RecordStore();
    const big = doc(1, 3_000_000);
    s.set(1, big);
    s.set(2, doc(2));
    expect(s.get(1)!.equals(big)).toBe(true);
    expect(idOf(s.get(2))).toBe(2);
    s.delete(1);
    expect(s.allocatedBytes).toBeLessThan(1_100_000);
  });
});
