import { describe, expect, it } from 'vitest';
import { Int32, Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import fc from 'fast-check';
import { Query } from 'mingo';
import { createIndexSet } from '../../src/indexes/index.js';
import type { IndexSet, PlanRequest, RecordId } from '../../src/contracts.js';
import { compareValues, makeSortComparator } from '../../src/bson-order.js';
import { MongoError } from '../../src/errors.js';

function setup(indexes: Document[], docs: Document[]): { ix: IndexSet; docs: Map<RecordId, Document> } {
  const ix = createIndexSet('db.c');
  const map = new Map<RecordId, Document>();
  ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
  for (const spec of indexes) ix.create(spec as never, []);
  let id = 1;
  for (const d of docs) {
    try {
      ix.insert(id, d);
      map.set(id, d);
    } catch (e) {
      if ((e as MongoError).code !== 171 && (e as MongoError).code !== 11000) throw e;
    }
    id++;
  }
  return { ix, docs: map };
}

function run(ix: IndexSet, req: PlanRequest) {
  const p = ix.plan(req);
  const ids = p.candidates ? [...p.candidates] : null;
  return { ...p, ids, keysExamined: p.keysExamined };
}

const docs = Array.from({ length: 200 }, (_, i) => ({ _id: i, a: i % 10, b: i, c: i % 3 === 0 ? undefined : `s${i % 7}`, u: `user${i}` }));

describe('planner choices', () => {
  const { ix } = setup(
    [
      { name: 'a_1', key: { a: 1 } },
      { name: 'a_1_b_1', key: { a: 1, b: 1 } },
      { name: 'b_-1', key: { b: -1 } },
      { name: 'u_1', key: { u: 1 }, unique: true },
      { name: 'c_sparse', key: { c: 1 }, sparse: true },
    ],
    docs,
  );

  it('prefers a unique equality, one key examined (a single B-tree descent, no hash map)', () => {
    const p = run(ix, { filter: { a: 3, u: 'user13' } });
    expect(p.indexName).toBe('u_1');
    expect(p.ids).toEqual([14]);
    expect(p.stage).toContain('IXSCAN');
    expect(p.keysExamined).toBe(1);
  });

  it('uses the longest equality prefix plus a range', () => {
    const p = run(ix, { filter: { a: 3, b: { $gt: 100 } } });
    expect(p.indexName).toBe('a_1_b_1');
    expect(p.ids!.length).toBe(10);
    expect(p.keysExamined).toBe(10);
  });

  it('provides sort on the field after an equality prefix, in both directions', () => {
    const asc = run(ix, { filter: { a: 3 }, sort: { b: 1 } });
    expect(asc.indexName).toBe('a_1_b_1');
    expect(asc.providesSort).toBe(true);
    expect(asc.ids).toEqual(docs.filter((d) => d.a === 3).map((d) => d._id + 1));
    const desc = run(ix, { filter: { a: 3 }, sort: { b: -1 } });
    expect(desc.providesSort).toBe(true);
    expect(desc.ids).toEqual([...asc.ids!].reverse());
    const mixed = run(ix, { filter: { a: 3 }, sort: { a: 1, b: 1 } });
    expect(mixed.providesSort).toBe(true);
  });

  it('walks an index for a sort alone, lazily', () => {
    const p = ix.plan({ filter: {}, sort: { b: 1 }, limit: 5 });
    expect(p.indexName).toBe('b_-1');
    expect(p.providesSort).toBe(true);
    const first: number[] = [];
    for (const id of p.candidates!) {
      first.push(id);
      if (first.length === 5) break;
    }
    expect(first).toEqual([1, 2, 3, 4, 5]);
    expect(p.keysExamined).toBe(5);
  });

  it('ranges use type bracketing', () => {
    const p = run(ix, { filter: { b: { $gte: 190 } } });
    expect(p.indexName).toBe('b_-1');
    expect(p.ids!.sort((x, y) => x - y)).toEqual([191, 192, 193, 194, 195, 196, 197, 198, 199, 200]);
    expect(run(ix, { filter: { b: { $gte: 5, $lt: 7 } } }).ids!.sort()).toEqual([6, 7]);
    expect(run(ix, { filter: { b: { $gt: 'x' } } }).ids).toEqual([]);
  });

  it('$in uses hash lookups and deduplicates', () => {
    const p = run(ix, { filter: { u: { $in: ['user1', 'user2', 'user1', 'nobody'] } } });
    expect(p.indexName).toBe('u_1');
    expect(p.ids!.sort()).toEqual([2, 3]);
  });

  it('does not use a sparse index where it would miss documents', () => {
    expect(run(ix, { filter: { c: 's1' } }).indexName).toBe('c_sparse');
    expect(run(ix, { filter: { c: null } }).indexName).toBe(null);
    expect(run(ix, { filter: { c: { $exists: false } } }).indexName).toBe(null);
    expect(run(ix, { filter: {}, sort: { c: 1 } }).providesSort).toBe(false);
    expect(run(ix, { filter: {}, hint: 'c_sparse' }).indexName).toBe('c_sparse');
  });

  it('honours hints by name and key pattern, rejects unknown ones with BadValue', () => {
    expect(run(ix, { filter: { a: 3, u: 'user3' }, hint: { a: 1 } }).indexName).toBe('a_1');
    expect(run(ix, { filter: { a: 3 }, hint: 'b_-1' }).indexName).toBe('b_-1');
    expect(run(ix, { filter: { a: 3 }, hint: { $natural: 1 } }).indexName).toBe(null);
    let err: MongoError | undefined;
    try {
      ix.plan({ filter: {}, hint: 'nope' });
    } catch (e) {
      err = e as MongoError;
    }
    expect(err?.code).toBe(2);
    expect(err?.message).toContain('hint provided does not correspond to an existing index');
  });

  it('uses anchored regex prefixes as ranges only', () => {
    const p = run(ix, { filter: { u: /^user19/ } });
    expect(p.indexName).toBe('u_1');
    expect(p.ids!.sort((x, y) => x - y)).toEqual([20, ...Array.from({ length: 10 }, (_, i) => 191 + i)]);
    expect(run(ix, { filter: { u: /ser19/ } }).indexName).toBe(null);
    expect(run(ix, { filter: { u: { $regex: '^user19', $options: 'i' } } }).indexName).toBe(null);
  });

  it('plans $or as a union when every branch is indexed', () => {
    const p = run(ix, { filter: { $or: [{ u: 'user1' }, { b: 5 }] } });
    expect(p.stage).toMatch(/^OR/);
    expect(p.ids!.sort()).toEqual([2, 6]);
    expect(run(ix, { filter: { $or: [{ u: 'user1' }, { zz: 5 }] } }).indexName).toBe(null);
  });

  it('goes to COLLSCAN when nothing helps', () => {
    const p = run(ix, { filter: { zz: 1 } });
    expect(p.stage).toBe('COLLSCAN');
    expect(p.ids).toBe(null);
  });
});

describe('partial index use', () => {
  const { ix } = setup(
    [{ name: 'email_partial', key: { email: 1 }, partialFilterExpression: { status: 'active', age: { $gte: 18 } } }],
    [
      { _id: 1, email: 'x', status: 'active', age: 20 },
      { _id: 2, email: 'x', status: 'gone', age: 20 },
    ],
  );
  it('is used only when the query implies the partial filter', () => {
    expect(run(ix, { filter: { email: 'x', status: 'active', age: { $gte: 18 } } }).indexName).toBe('email_partial');
    expect(run(ix, { filter: { email: 'x', status: 'active', age: 30 } }).indexName).toBe('email_partial');
    expect(run(ix, { filter: { email: 'x', status: 'active', age: 10 } }).indexName).toBe(null);
    expect(run(ix, { filter: { email: 'x', status: 'active' } }).indexName).toBe(null);
    expect(run(ix, { filter: { email: 'x' } }).indexName).toBe(null);
  });
});

describe('multikey indexes', () => {
  const { ix } = setup([{ name: 't', key: { t: 1 } }], [{ _id: 1, t: [5, 1] }, { _id: 2, t: [3] }, { _id: 3, t: 2 }, { _id: 4, t: [] }]);
  it('do not claim to provide a sort and do not intersect bounds across operators', () => {
    expect(run(ix, { filter: {}, sort: { t: 1 } }).providesSort).toBe(false);
    // [5, 1] matches { $gt: 4, $lt: 2 } (different elements satisfy each operator)
    expect(run(ix, { filter: { t: { $gt: 4, $lt: 2 } } }).ids).toContain(1);
  });
  it('finds whole-array and empty-array equality', () => {
    expect(run(ix, { filter: { t: [5, 1] } }).ids).toContain(1);
    expect(run(ix, { filter: { t: [] } }).ids).toEqual([4]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the planner's candidates are a superset of a full scan with mingo, and when the plan
// claims to provide the sort, the matching documents come out in sort order.

// BSON-typed values too: the planner sees what the wire decodes (Int32, Long, ObjectId, Date).
const oids = ['000000000000000000000001', '000000000000000000000002', 'ffffffffffffffffffffff00'].map((h) => new ObjectId(h));
const dates = [new Date(0), new Date(1000), new Date(-5)];
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -1.5, 2.25),
  fc.constantFrom('a', 'ab', 'b', 'B', 'ba', ''),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }).map((n) => new Int32(n)),
  fc.integer({ min: -3, max: 3 }).map((n) => Long.fromNumber(n)),
  fc.constantFrom(...oids),
  fc.constantFrom(...dates),
);
const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.record({ x: scalar }) });
const docArb = fc.record({ a: value, b: value, c: fc.record({ d: value }, { requiredKeys: [] }) }, { requiredKeys: [] });

const fieldArb = fc.constantFrom('a', 'b', 'c.d');
const condArb: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.record({ $eq: scalar }),
  fc.record({ $in: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ $gt: scalar }),
  fc.record({ $gte: scalar, $lt: scalar }),
  fc.record({ $lte: scalar }),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $ne: scalar }),
  fc.record({ $elemMatch: fc.oneof(fc.record({ $gte: scalar, $lte: scalar }), fc.record({ x: scalar })) }),
  fc.constantFrom(/^a/, /^b/, /a/),
);
const clauseArb = fc.tuple(fieldArb, condArb).map(([f, c]) => ({ [f]: c }));
const filterArb: fc.Arbitrary<Document> = fc.oneof(
  clauseArb,
  fc.tuple(clauseArb, clauseArb).map(([x, y]) => ({ $and: [x, y] })),
  fc.tuple(clauseArb, clauseArb).map(([x, y]) => ({ $or: [x, y] })),
  fc.tuple(clauseArb, clauseArb).map(([x, y]) => ({ ...x, ...y })),
);
const sortArb = fc.option(fc.constantFrom<Document>({ a: 1 }, { a: -1 }, { b: 1 }, { a: 1, b: 1 }, { a: -1, b: -1 }, { b: -1, a: 1 }), { nil: undefined });

/** fast-check records have a null prototype, which mingo's hashing does not expect. */
function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as T;
  if (v instanceof ObjectId || v instanceof Date || v instanceof Int32 || v instanceof Long) return v;
  if (v && typeof v === 'object' && !(v instanceof RegExp)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) as T;
  return v;
}

function unwrapNumbers<T>(v: T): T {
  if (v instanceof Int32) return v.value as T;
  if (v instanceof Long) return v.toNumber() as T;
  if (Array.isArray(v)) return v.map(unwrapNumbers) as T;
  if (v && typeof v === 'object' && !(v instanceof ObjectId) && !(v instanceof Date) && !(v instanceof RegExp)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapNumbers(x)])) as T;
  }
  return v;
}

describe('planner property: candidates ⊇ mingo matches', () => {
  it('holds for random documents, indexes and filters', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 40 }), filterArb, sortArb, fc.boolean(), (rawDocs, rawFilter, sort, sparse) => {
        const filter = plain(rawFilter);
        const { ix, docs: stored } = setup(
          [
            { name: 'a_1', key: { a: 1 } },
            { name: 'b_-1', key: { b: -1 } },
            { name: 'a_1_b_1', key: { a: 1, b: 1 } },
            { name: 'a_-1_b_1', key: { a: -1, b: 1 }, sparse },
            { name: 'cd_1', key: { 'c.d': 1 }, sparse },
          ],
          rawDocs.map((d, i) => plain({ _id: i, ...d })),
        );
        // mingo is the oracle; it knows numbers but not the Int32/Long wrappers, so it sees numbers.
        const q = new Query(unwrapNumbers(filter));
        const matching = [...stored].filter(([, d]) => q.test(unwrapNumbers(d))).map(([id]) => id);
        const p = ix.plan({ filter, sort });
        if (p.candidates === null) return;
        const cands = [...p.candidates];
        const set = new Set(cands);
        for (const id of matching) expect(set.has(id), `${JSON.stringify(filter)} via ${p.stage} misses ${JSON.stringify(stored.get(id))}`).toBe(true);
        expect(set.size).toBe(cands.length); // no duplicates
        if (p.providesSort && sort) {
          const ordered = cands.filter((id) => matching.includes(id)).map((id) => stored.get(id)!);
          const cmp = makeSortComparator(sort);
          for (let i = 1; i < ordered.length; i++) expect(cmp(ordered[i - 1], ordered[i]), `${p.stage} sort ${JSON.stringify(sort)}`).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: Number(process.env.PLANNER_RUNS ?? 600) },
    );
  });
});

describe('planner property: collation indexes', () => {
  it('candidates cover every collation-equal or in-range string', () => {
    const str = fc.constantFrom('a', 'A', 'á', 'Á', 'ab', 'aB', 'b', 'B', 'é', 'e', 'E', 'ba', '');
    const strength = fc.constantFrom(1, 2, 3);
    fc.assert(
      fc.property(fc.array(fc.oneof(str, fc.integer({ min: 0, max: 3 })), { maxLength: 30 }), str, strength, strength, fc.constantFrom('eq', 'in', 'gt', 'lte'), (vals, q, ixStrength, qStrength, op) => {
        const ixColl = { locale: 'en', strength: ixStrength };
        const qColl = { locale: 'en', strength: qStrength };
        const { ix, docs: stored } = setup(
          [{ name: 'a_coll', key: { a: 1 }, collation: ixColl }],
          vals.map((a, i) => ({ _id: i, a })),
        );
        const filter = op === 'eq' ? { a: q } : op === 'in' ? { a: { $in: [q, 'zz'] } } : op === 'gt' ? { a: { $gt: q } } : { a: { $lte: q } };
        const p = ix.plan({ filter, collation: qColl });
        if (p.candidates === null) return;
        expect(ixStrength).toBe(qStrength); // only used with the same collation
        const set = new Set(p.candidates);
        for (const [id, d] of stored) {
          if (typeof d.a !== 'string') continue;
          const c = compareValues(d.a, q, qColl);
          const matches = op === 'eq' || op === 'in' ? c === 0 : op === 'gt' ? c > 0 : c <= 0;
          if (matches) expect(set.has(id), `${JSON.stringify(filter)} s${qStrength} misses ${d.a}`).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('$elemMatch', () => {
  const { ix } = setup(
    [
      { name: 'scores_1', key: { scores: 1 } },
      { name: 'items.sku_1', key: { 'items.sku': 1 } },
    ],
    [
      { _id: 1, scores: [1, 9], items: [{ sku: 'A', qty: 1 }] },
      { _id: 2, scores: [5], items: [{ sku: 'B', qty: 7 }, { sku: 'A', qty: 9 }] },
      { _id: 3, scores: [2, 3], items: [] },
    ],
  );
  it('bounds value conditions on the array and field conditions on element paths', () => {
    const p = run(ix, { filter: { scores: { $elemMatch: { $gte: 4, $lt: 6 } } } });
    expect(p.indexName).toBe('scores_1');
    expect(p.ids).toEqual([2]);
    const q = run(ix, { filter: { items: { $elemMatch: { sku: 'A', qty: { $gt: 5 } } } } });
    expect(q.indexName).toBe('items.sku_1');
    expect(q.ids!.sort()).toEqual([1, 2]);
  });
});
