/**
 * $lookup in both forms (localField/foreignField, and let + pipeline) and $facet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db } from 'mongodb';
import { openDb, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
beforeAll(async () => {
  ctx = await openDb('compat_agg_lookup');
  db = ctx.db;
  await db.collection<any>('orders').insertMany([
    { _id: 1, customer: 'c1', items: ['p1', 'p2'], total: 30 },
    { _id: 2, customer: 'c2', items: ['p2'], total: 5 },
    { _id: 3, customer: 'c9', items: [], total: 12 },
    { _id: 4, total: 1 },
  ]);
  await db.collection<any>('customers').insertMany([
    { _id: 'c1', name: 'Ann', minTotal: 10 },
    { _id: 'c2', name: 'Bob', minTotal: 10 },
  ]);
  await db.collection<any>('products').insertMany([
    { _id: 'p1', name: 'Pen', price: 2 },
    { _id: 'p2', name: 'Pad', price: 3 },
    { _id: 'p3', name: 'Ink', price: 9 },
  ]);
}, 30_000);
afterAll(async () => ctx?.close());

describe('$lookup', { timeout: 20_000 }, () => {
  it('localField/foreignField joins equal values into an array (empty when none)', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'cust' } },
        { $project: { cust: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 1, cust: [{ _id: 'c1', name: 'Ann', minTotal: 10 }] },
      { _id: 2, cust: [{ _id: 'c2', name: 'Bob', minTotal: 10 }] },
      { _id: 3, cust: [] },
      // A missing localField matches foreign documents whose foreignField is null or missing: none here.
      { _id: 4, cust: [] },
    ]);
  });

  it('an array localField matches any of its elements', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        { $match: { _id: 1 } },
        { $lookup: { from: 'products', localField: 'items', foreignField: '_id', as: 'products' } },
        { $project: { names: '$products.name' } },
      ])
      .toArray();
    expect([...r[0]!.names].sort()).toEqual(['Pad', 'Pen']);
  });

  it('let + pipeline form correlates with $expr and can shape the joined documents', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        {
          $lookup: {
            from: 'customers',
            let: { cid: '$customer', total: '$total' },
            pipeline: [
              { $match: { $expr: { $and: [{ $eq: ['$_id', '$$cid'] }, { $lte: ['$minTotal', '$$total'] }] } } },
              { $project: { _id: 0, name: 1 } },
            ],
            as: 'eligible',
          },
        },
        { $project: { eligible: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 1, eligible: [{ name: 'Ann' }] },
      { _id: 2, eligible: [] }, // Bob's minTotal 10 > 5
      { _id: 3, eligible: [] },
      { _id: 4, eligible: [] },
    ]);
  });

  it('an uncorrelated pipeline joins the same documents to every input', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $lookup: { from: 'products', pipeline: [{ $match: { price: { $gt: 2 } } }, { $sort: { price: 1 } }], as: 'pricey' } },
        { $project: { p: '$pricey._id' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { _id: 1, p: ['p2', 'p3'] },
      { _id: 2, p: ['p2', 'p3'] },
    ]);
  });

  it('$lookup followed by $unwind flattens the join', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'c' } },
        { $unwind: '$c' },
        { $project: { _id: 0, order: '$_id', name: '$c.name' } },
        { $sort: { order: 1 } },
      ])
      .toArray();
    expect(r).toEqual([
      { order: 1, name: 'Ann' },
      { order: 2, name: 'Bob' },
    ]);
  });
});

describe('$facet', { timeout: 20_000 }, () => {
  it('runs several sub-pipelines over the same input and returns one document', async () => {
    const r = await db
      .collection('orders')
      .aggregate([
        { $match: { total: { $gte: 5 } } },
        {
          $facet: {
            count: [{ $count: 'n' }],
            top: [{ $sort: { total: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
            byCustomer: [{ $group: { _id: '$customer', sum: { $sum: '$total' } } }, { $sort: { _id: 1 } }],
            nothing: [{ $match: { total: { $gt: 1000 } } }],
          },
        },
      ])
      .toArray();
    expect(r).toEqual([
      {
        count: [{ n: 3 }],
        top: [{ _id: 1 }],
        byCustomer: [
          { _id: 'c1', sum: 30 },
          { _id: 'c2', sum: 5 },
          { _id: 'c9', sum: 12 },
        ],
        nothing: [],
      },
    ]);
  });

  it('a paginated listing with total count (the common $facet use)', async () => {
    const [page] = await db
      .collection('products')
      .aggregate([{ $facet: { total: [{ $count: 'n' }], items: [{ $sort: { price: -1 } }, { $skip: 1 }, { $limit: 1 }] } }])
      .toArray();
    expect(page!.total).toEqual([{ n: 3 }]);
    expect(page!.items).toEqual([{ _id: 'p2', name: 'Pad', price: 3 }]);
  });
});
