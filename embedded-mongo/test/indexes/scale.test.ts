import { describe, expect, it } from 'vitest';
import { Int32, ObjectId } from 'bson';
import type { Document } from 'bson';
import { createIndexSet } from '../../src/indexes/index.js';

// Guards against accidental O(n) work per operation. Bounds are ~10x above what a loaded 2-core
// machine measures, so they only fail on a real complexity regression.
describe('index operations at 100k documents', () => {
  const N = 100_000;
  const docs: Document[] = Array.from({ length: N }, (_, i) => ({ _id: new ObjectId(), email: `user${i}@example.com`, age: new Int32(i % 90), at: new Date(1e12 + i * 1000) }));

  it('builds, looks up, walks and maintains indexes quickly', () => {
    const ix = createIndexSet('db.c');
    ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
    let t = performance.now();
    for (let i = 0; i < N; i++) ix.insert(i, docs[i]!);
    const insertMs = performance.now() - t;
    t = performance.now();
    ix.create({ name: 'email_1', key: { email: 1 }, unique: true }, docs.map((d, i) => [i, d] as [number, Document]));
    const buildMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < N; i++) {
      const p = ix.plan({ filter: { email: `user${(i * 7919) % N}@example.com` } });
      const first = [...p.candidates!][0];
      if (first !== (i * 7919) % N) throw new Error(`wrong hit ${first}`);
    }
    const lookupMs = performance.now() - t;
    t = performance.now();
    ix.create({ name: 'at_1', key: { at: 1 } }, docs.map((d, i) => [i, d] as [number, Document]));
    const p = ix.plan({ filter: { at: { $gte: new Date(1e12 + 50_000_000) } }, sort: { at: -1 }, limit: 10 });
    expect(p.providesSort).toBe(true);
    const top: number[] = [];
    for (const id of p.candidates!) if (top.push(id) === 10) break;
    expect(top).toEqual(Array.from({ length: 10 }, (_, i) => N - 1 - i));
    expect(p.keysExamined).toBe(10);
    const walkMs = performance.now() - t;
    console.log(`100k: insert ${insertMs.toFixed(0)} ms, build unique ${buildMs.toFixed(0)} ms, 100k lookups ${lookupMs.toFixed(0)} ms, build+top10 ${walkMs.toFixed(0)} ms`);
    expect(insertMs).toBeLessThan(10_000);
    expect(buildMs).toBeLessThan(10_000);
    expect(lookupMs).toBeLessThan(10_000);
  }, 120_000);
});
