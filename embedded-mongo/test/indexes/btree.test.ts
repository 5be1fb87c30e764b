import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BTree } from '../../src/indexes/btree.js';

const numCmp = (a: unknown, b: unknown) => (a as number) - (b as number);

function reference(entries: [number, number][]): [number, number][] {
  return [...entries].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe('BTree', () => {
  it('matches a sorted array under random inserts and deletes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 400 })), { maxLength: 1500 }), (ops) => {
        const t = new BTree(numCmp);
        const ref = new Map<string, [number, number]>();
        for (const [ins, k, id] of ops) {
          if (ins) {
            t.insert(k, id);
            ref.set(`${k}:${id}`, [k, id]);
          } else {
            const had = ref.delete(`${k}:${id}`);
            expect(t.delete(k, id)).toBe(had);
          }
        }
        const expected = reference([...ref.values()]);
        expect([...t.entries()]).toEqual(expected);
        expect(t.size).toBe(expected.length);
        // bounded walks in both directions
        const lo = 20;
        const hi = 40;
        const inRange = expected.filter(([k]) => k > lo && k <= hi);
        expect([...t.walk(lo, false, hi, true, false)]).toEqual(inRange);
        expect([...t.walk(lo, false, hi, true, true)]).toEqual([...inRange].reverse());
      }),
      { numRuns: 150 },
    );
  });

  it('insertUnique refuses a key another id holds, wherever it sits (property)', () => {
    // Keys from a small range so that duplicates often fall on leaf boundaries; ascending runs
    // take the right-edge path, the rest a descent.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 2000 }), (ops) => {
        const t = new BTree(numCmp);
        const holder = new Map<number, number>();
        let nextId = 1;
        for (const [del, k] of ops) {
          if (del) {
            const id = holder.get(k);
            if (id !== undefined) expect(t.delete(k, id)).toBe(true);
            holder.delete(k);
            continue;
          }
          const id = nextId++;
          const got = t.insertUnique(k, id);
          expect(got).toBe(holder.get(k) ?? -1);
          if (got < 0) holder.set(k, id);
        }
        expect([...t.entries()]).toEqual(reference([...holder].map(([k, id]) => [k, id])));
      }),
      { numRuns: 100 },
    );
    const t = new BTree(numCmp);
    for (let k = 0; k < 1000; k++) expect(t.insertUnique(k, k + 1)).toBe(-1);
    expect(t.insertUnique(999, 5000)).toBe(1000);
    expect(t.insertUnique(0, 5000)).toBe(1);
    expect(t.size).toBe(1000);
  });

  it('stores tuple keys flattened and behaves as with whole tuples (property)', () => {
    // Two fields, the second descending, as a compound index { a: 1, b: -1 } compares them.
    const part = (x: unknown, y: unknown, f: number) => (f === 0 ? 1 : -1) * ((x as number) - (y as number));
    const tupleCmp = (a: unknown, b: unknown) => part((a as number[])[0], (b as number[])[0], 0) || part((a as number[])[1], (b as number[])[1], 1);
    const sortRef = (es: [number[], number][]) => [...es].sort((x, y) => tupleCmp(x[0], y[0]) || x[1] - y[1]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 300 })), { maxLength: 1500 }), (ops) => {
        const t = new BTree(tupleCmp, 2, part);
        const ref = new Map<string, [number[], number]>();
        for (const [ins, a, b, id] of ops) {
          const k = `${a}:${b}:${id}`;
          if (ins) {
            t.insert([a, b], id);
            ref.set(k, [[a, b], id]);
          } else expect(t.delete([a, b], id)).toBe(ref.delete(k));
        }
        const expected = sortRef([...ref.values()]);
        expect([...t.entries()]).toEqual(expected);
        const lo = [2, 20];
        const hi = [4, 5];
        const inRange = expected.filter(([k]) => tupleCmp(k, lo) >= 0 && tupleCmp(k, hi) < 0);
        expect([...t.walk(lo, true, hi, false, false)]).toEqual(inRange);
        expect([...t.walk(lo, true, hi, false, true)]).toEqual([...inRange].reverse());
        expect(t.idsEqual([3, 10], [])).toEqual(expected.filter(([k]) => k[0] === 3 && k[1] === 10).map(([, id]) => id));
      }),
      { numRuns: 100 },
    );
    const u = new BTree(tupleCmp, 2, part);
    expect(u.insertUnique([1, 2], 1)).toBe(-1);
    expect(u.insertUnique([1, 3], 2)).toBe(-1);
    expect(u.insertUnique([1, 2], 3)).toBe(1);
    u.bulkLoad([[0, 9], [0, 1], [5, 5]], [7, 8, 9]);
    expect([...u.entries()]).toEqual([[[0, 9], 7], [[0, 1], 8], [[5, 5], 9]]);
  });

  it('bulk loads sorted entries and keeps working after', () => {
    const t = new BTree(numCmp);
    const n = 10_000;
    t.bulkLoad(
      Array.from({ length: n }, (_, i) => i * 2),
      Array.from({ length: n }, (_, i) => i),
    );
    expect(t.size).toBe(n);
    t.insert(5, 99999);
    expect(t.delete(10, 5)).toBe(true);
    const all = [...t.entries()];
    expect(all.length).toBe(n);
    for (let i = 1; i < all.length; i++) expect((all[i - 1]![0] as number) <= (all[i]![0] as number)).toBe(true);
    expect([...t.walk(4, true, 6, true, false)]).toEqual([
      [4, 2],
      [5, 99999],
      [6, 3],
    ]);
  });

  it('continues correctly when the tree is modified during a walk', () => {
    const t = new BTree(numCmp);
    for (let i = 0; i < 1000; i++) t.insert(i, i);
    const seen: number[] = [];
    for (const [k, id] of t.walk(undefined, true, undefined, true, false, true, true)) {
      seen.push(k as number);
      // delete the current entry and the next one: the walk must skip the deleted one, not crash
      t.delete(k, id);
      t.delete((k as number) + 1, id + 1);
    }
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i * 2));
    expect(t.size).toBe(0);
  });

  it('stays ordered under ascending and descending runs (right-edge splits, growing leaves)', () => {
    const t = new BTree(numCmp);
    for (let i = 0; i < 5000; i++) t.insert(i, i); // ascending: right-edge splits
    for (let i = -1; i >= -3000; i--) t.insert(i, 0); // descending: left-edge inserts
    for (let i = 0; i < 5000; i += 3) t.insert(i, i + 1); // equal keys, other ids
    for (let i = 0; i < 5000; i += 2) expect(t.delete(i, i)).toBe(true);
    const expected: [number, number][] = [];
    for (let i = -3000; i <= -1; i++) expected.push([i, 0]);
    for (let i = 0; i < 5000; i++) {
      if (i % 2 === 1) expected.push([i, i]);
      if (i % 3 === 0) expected.push([i, i + 1]);
    }
    expect([...t.entries()]).toEqual(expected);
    expect(t.size).toBe(expected.length);
    expect([...t.walk(100, true, 110, false, true)]).toEqual(expected.filter(([k]) => k >= 100 && k < 110).reverse());
  });
});
