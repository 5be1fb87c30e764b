/**
 * mingo mutates its inputs in some stages ($unwind, $set on nested paths, $addFields). Stored
 * documents must never be aliased by query or aggregation processing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let db: Db;
const original = [
  { _id: 1, a: { b: [1, 2, 3], c: { d: 1 } }, tags: ['x', 'y'] },
  { _id: 2, a: { b: [4], c: { d: 2 } }, tags: [] },
];

beforeAll(async () => {
  h = await startHarness();
  db = h.client.db('aliasing');
  await db.collection<any>('docs').insertMany(original.map((d) => structuredClone(d)));
});
afterAll(async () => h.close());

async function unchanged(): Promise<void> {
  expect(await db.collection<any>('docs').find().sort({ _id: 1 }).toArray()).toEqual(original);
}

describe('stored documents are never aliased', () => {
  it('survives $unwind followed by nested $set and $addFields', async () => {
    const out = await db.collection<any>('docs').aggregate([
      { $unwind: '$a.b' },
      { $set: { 'a.c.d': 99, 'a.extra': true } },
      { $addFields: { tags: 'replaced' } },
    ]).toArray();
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ a: { b: 1, c: { d: 99 }, extra: true }, tags: 'replaced' });
    await unchanged();
  });

  it('survives a leading $match (planner path) followed by mutating stages', async () => {
    await db.collection<any>('docs').aggregate([{ $match: { _id: 1 } }, { $unwind: '$tags' }, { $set: { 'a.c': 'gone' } }, { $unset: 'a.b' }]).toArray();
    await unchanged();
  });

  it('survives $lookup + $unwind into another collection and $facet', async () => {
    await db.collection<any>('other').insertOne({ _id: 1, ref: 1 });
    await db.collection<any>('other').aggregate([
      { $lookup: { from: 'docs', localField: 'ref', foreignField: '_id', as: 'd' } },
      { $unwind: '$d' },
      { $set: { 'd.a.c.d': -1 } },
    ]).toArray();
    await db.collection<any>('docs').aggregate([{ $facet: { x: [{ $unwind: '$a.b' }, { $set: { 'a.b': 0 } }], y: [{ $set: { 'a.c.d': 5 } }] } }]).toArray();
    await unchanged();
  });

  it('survives finds with projections and updates that fail', async () => {
    await db.collection<any>('docs').find({}, { projection: { 'a.b': { $slice: 1 } } }).toArray();
    await db.collection<any>('docs').updateOne({ _id: 1 }, { $set: { _id: 5, 'a.c.d': 7 } }).catch(() => {});
    await unchanged();
  });
});
