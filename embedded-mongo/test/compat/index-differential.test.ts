/**
 * Property test: an index never changes a query's answer. The same random documents go into a
 * collection with secondary indexes (single, compound, multikey) and into one with only _id; random
 * filters, sorts and limits must return identical results from both. True for any correct server,
 * so it holds against real MongoDB too, and it exercises our planner's hash, range and sort paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Collection, type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let indexed: Collection<any>;
let plain: Collection<any>;

// A small value domain so that filters hit often; mixed types exercise cross-type comparison.
const scalar = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(1.5, 7.25, -0.5) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'B', 'ab', '') },
  { weight: 1, arbitrary: fc.constant(null) },
);
const docArb = fc.record(
  {
    a: scalar,
    b: fc.integer({ min: 0, max: 5 }),
    tags: fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }),
  },
  { requiredKeys: ['b'] },
);

const condArb = fc.oneof(
  scalar.map((v) => v),
  fc.array(scalar, { minLength: 1, maxLength: 3 }).map((vs) => ({ $in: vs })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(fc.integer({ min: -5, max: 20 }), fc.integer({ min: 0, max: 10 })).map(([lo, w]) => ({ $gte: lo, $lt: lo + w })),
  fc.constant({ $exists: false }),
);
const filterArb = fc.oneof(
  condArb.map((c) => ({ a: c })),
  fc.tuple(condArb, fc.integer({ min: 0, max: 5 })).map(([c, b]) => ({ a: c, b })),
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })).map(([lo, hi]) => ({ b: { $gte: Math.min(lo, hi), $lte: Math.max(lo, hi) } })),
  fc.integer({ min: 0, max: 8 }).map((t) => ({ tags: t })),
  fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 3 }).map((ts) => ({ tags: { $in: ts } })),
  fc.constant({}),
);
const sortArb = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Record<string, 1 | -1>>({ a: 1 }, { a: -1 }, { b: 1, a: 1 }, { b: -1, a: -1 }, { a: 1, b: -1 }),
);

beforeAll(async () => {
  ctx = await openDb('compat_index_differential');
  db = ctx.db;
  indexed = db.collection('indexed');
  plain = db.collection('plain');
  const docs = fc.sample(docArb, { numRuns: 400, seed: 42 }).map((d, i) => ({ _id: i, ...d }));
  await indexed.createIndex({ a: 1 });
  await indexed.createIndex({ b: 1, a: -1 });
  await indexed.createIndex({ tags: 1 });
  await indexed.insertMany(docs);
  await plain.insertMany(docs);
}, 30_000);
afterAll(async () => ctx?.close());

describe('indexes never change answers', { timeout: 60_000 }, () => {
  it('random filters, sorts and limits agree between indexed and unindexed collections', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, sortArb, fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), async (filter, sort, limit) => {
        // _id last makes the order total, so both sides must agree exactly.
        const fullSort: Record<string, 1 | -1> = { ...(sort ?? {}), _id: 1 };
        const run = (c: Collection<any>) => {
          let cur = c.find(filter).sort(fullSort);
          if (limit) cur = cur.limit(limit);
          return cur.toArray();
        };
        const [a, b] = await Promise.all([run(indexed), run(plain)]);
        expect(a).toEqual(b);
        expect(await indexed.countDocuments(filter)).toBe(await plain.countDocuments(filter));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('updates keep indexes in step with the documents', async () => {
    // `a` holds mixed types, so move values with $set rather than $inc.
    await indexed.updateMany({ b: 2 }, { $set: { a: 100 } });
    await plain.updateMany({ b: 2 }, { $set: { a: 100 } });
    await indexed.updateMany({ b: 3 }, { $push: { tags: 9 } } as any);
    await plain.updateMany({ b: 3 }, { $push: { tags: 9 } } as any);
    await indexed.deleteMany({ b: 4 });
    await plain.deleteMany({ b: 4 });
    for (const q of [{ a: { $gte: 100 } }, { tags: 9 }, { b: 4 }, { a: { $lt: 0 } }]) {
      const [x, y] = await Promise.all([indexed.find(q).sort({ _id: 1 }).toArray(), plain.find(q).sort({ _id: 1 }).toArray()]);
      expect(x).toEqual(y);
    }
  });
});
