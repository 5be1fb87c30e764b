import { describe, expect, it } from 'vitest';
import type { Document } from 'bson';
import fc from 'fast-check';
import { createIndexSet } from '../../src/indexes/index.js';
import type { IndexSet, RecordId } from '../../src/contracts.js';
import type { MongoError } from '../../src/errors.js';

// Property: after any sequence of inserts, updates and removes (some rejected as duplicates or
// parallel arrays), the maintained index set answers every query exactly like a set built from
// scratch over the surviving documents. This checks all-or-nothing writes and key removal.

const SPECS: Document[] = [
  { name: '_id_', key: { _id: 1 }, unique: true },
  { name: 'a_1', key: { a: 1 } },
  { name: 'u_1', key: { u: 1 }, unique: true, sparse: true },
  { name: 'a_1_b_-1', key: { a: 1, b: -1 } },
  { name: 'p_1', key: { p: 1 }, unique: true, partialFilterExpression: { flag: true } },
  { name: 'c_1', key: { c: 1 }, collation: { locale: 'en', strength: 2 }, unique: true },
  { name: 't', key: { text: 'text' } },
];

function fresh(): IndexSet {
  const ix = createIndexSet('db.m');
  for (const s of SPECS) ix.create(s as never, []);
  return ix;
}

const small = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('x', 'y', null));
const docArb = fc.record(
  {
    a: fc.oneof(small, fc.array(small, { maxLength: 3 })),
    b: fc.oneof(small, fc.array(small, { maxLength: 2 })),
    u: small,
    p: small,
    flag: fc.boolean(),
    c: fc.constantFrom('abc', 'ABC', 'abd', 'Abd'),
    text: fc.constantFrom('hello world', 'parcel late', 'refund the kettle', ''),
  },
  { requiredKeys: ['c'] },
);
const opArb = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), doc: docArb }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), doc: docArb }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
);

const probes: Document[] = [
  { a: 1 },
  { a: { $in: ['x', 3] } },
  { a: { $gte: 2 } },
  { a: null },
  { a: 1, b: { $lt: 3 } },
  { u: 2 },
  { p: 1, flag: true },
  { b: 'y' },
];

function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) as T;
  return v;
}

describe('index maintenance property', () => {
  it('a maintained set equals a rebuilt one after random writes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const ix = fresh();
        const docs = new Map<RecordId, Document>();
        let next = 1;
        for (const op of ops) {
          const ids = [...docs.keys()];
          try {
            if (op.kind === 'insert') {
              const id = next++;
              const doc = plain({ _id: id, ...op.doc });
              ix.insert(id, doc);
              docs.set(id, doc);
            } else if (op.kind === 'update' && ids.length) {
              const id = ids[op.pick % ids.length]!;
              const doc = plain({ _id: docs.get(id)!._id, ...op.doc });
              ix.update(id, docs.get(id)!, doc);
              docs.set(id, doc);
            } else if (op.kind === 'remove' && ids.length) {
              const id = ids[op.pick % ids.length]!;
              ix.remove(id, docs.get(id)!);
              docs.delete(id);
            }
          } catch (e) {
            if (![11000, 171].includes((e as MongoError).code)) throw e;
          }
        }
        const rebuilt = createIndexSet('db.m');
        for (const s of SPECS) rebuilt.create(s as never, docs.entries());
        const sorted = (it: Iterable<number> | null) => (it ? [...it].sort((x, y) => x - y) : null);
        for (const filter of probes) {
          const a = ix.plan({ filter });
          const b = rebuilt.plan({ filter });
          expect(a.indexName).toBe(b.indexName);
          expect(sorted(a.candidates), JSON.stringify(filter)).toEqual(sorted(b.candidates));
        }
        const coll = { locale: 'en', strength: 2 };
        expect(sorted(ix.plan({ filter: { c: 'abc' }, collation: coll }).candidates)).toEqual(sorted(rebuilt.plan({ filter: { c: 'abc' }, collation: coll }).candidates));
        for (const q of ['hello', 'parcel -late', '"refund the"']) {
          const ta = ix.textSearch({ $search: q });
          const tb = rebuilt.textSearch({ $search: q });
          expect(sorted(ta.keys())).toEqual(sorted(tb.keys()));
          for (const [id, s] of ta) expect(s).toBeCloseTo(tb.get(id)!);
        }
        // a unique index built over the surviving documents accepts them (no stale duplicates)
        expect(sorted(ix.plan({ filter: {}, sort: { _id: 1 } }).candidates)).toEqual(sorted(docs.keys()));
      }),
      { numRuns: 300 },
    );
  });
});
