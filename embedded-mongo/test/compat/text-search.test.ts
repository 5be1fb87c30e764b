/**
 * $text over a text index: tokenised, case-insensitive matching, { $meta: 'textScore' } projection
 * and sort, phrases, negation, and the errors without a text index.
 * Assertions avoid depending on stemming (optional in our server, always on in MongoDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { openDb, rejectionOf, type Ctx } from './server.js';

let ctx: Ctx;
let db: Db;
let msgs: Collection<any>;
beforeAll(async () => {
  ctx = await openDb('compat_text');
  db = ctx.db;
  msgs = db.collection('messages');
  await msgs.insertMany([
    { _id: 1, subject: 'Coffee', body: 'coffee coffee coffee' },
    { _id: 2, subject: 'Order update', body: 'your coffee order shipped with the tea sampler' },
    { _id: 3, subject: 'Tea time', body: 'green tea and black tea' },
    { _id: 4, subject: 'Invoice', body: 'invoice for march, payment due' },
    { _id: 5, subject: 'Cafe', body: 'the coffee shop opens at nine' },
    { _id: 6, subject: 'Nothing here', body: 'unrelated content' },
  ]);
  await msgs.createIndex({ subject: 'text', body: 'text' }, { name: 'msg_text' });
}, 30_000);
afterAll(async () => ctx?.close());

const ids = (docs: any[]) => docs.map((d) => d._id).sort((a, b) => a - b);

describe('$text', { timeout: 20_000 }, () => {
  it('the text index is listed with its weights', async () => {
    const spec = (await msgs.listIndexes().toArray()).find((i) => i.name === 'msg_text');
    expect(spec!.key).toEqual({ _fts: 'text', _ftsx: 1 });
    expect(spec!.weights).toEqual({ body: 1, subject: 1 });
  });

  it('matches any of the words, case-insensitively, across indexed fields', async () => {
    expect(ids(await msgs.find({ $text: { $search: 'COFFEE' } }).toArray())).toEqual([1, 2, 5]);
    expect(ids(await msgs.find({ $text: { $search: 'invoice tea' } }).toArray())).toEqual([2, 3, 4]);
    expect(await msgs.find({ $text: { $search: 'zebra' } }).toArray()).toEqual([]);
  });

  it('projects and sorts by textScore; more occurrences in a shorter text score higher', async () => {
    const r = await msgs
      .find({ $text: { $search: 'coffee' } }, { projection: { score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(r.map((d) => d._id)[0]).toBe(1);
    expect(r).toHaveLength(3);
    for (const d of r) expect(typeof d.score).toBe('number');
    for (let i = 1; i < r.length; i++) expect(r[i - 1].score).toBeGreaterThanOrEqual(r[i].score);
    expect(r[0].score).toBeGreaterThan(r[2].score);
  });

  it('a quoted phrase must appear as written', async () => {
    expect(ids(await msgs.find({ $text: { $search: '"coffee shop"' } }).toArray())).toEqual([5]);
    expect(ids(await msgs.find({ $text: { $search: '"coffee order"' } }).toArray())).toEqual([2]);
  });

  it('a -negated word excludes documents containing it', async () => {
    expect(ids(await msgs.find({ $text: { $search: 'coffee -tea' } }).toArray())).toEqual([1, 5]);
    expect(ids(await msgs.find({ $text: { $search: 'tea -sampler' } }).toArray())).toEqual([3]);
  });

  it('combines with other filters and works in an aggregation $match', async () => {
    expect(ids(await msgs.find({ $text: { $search: 'coffee' }, _id: { $gt: 1 } }).toArray())).toEqual([2, 5]);
    const r = await msgs
      .aggregate([{ $match: { $text: { $search: 'tea' } } }, { $project: { s: { $meta: 'textScore' } } }, { $sort: { s: -1 } }])
      .toArray();
    expect(r.map((d) => d._id)).toEqual([3, 2]);
  });

  it('the index follows inserts, updates and deletes', async () => {
    await msgs.insertOne({ _id: 7, subject: 'Latte', body: 'a latte please' });
    expect(ids(await msgs.find({ $text: { $search: 'latte' } }).toArray())).toEqual([7]);
    await msgs.updateOne({ _id: 7 }, { $set: { body: 'espresso' } });
    expect(ids(await msgs.find({ $text: { $search: 'please' } }).toArray())).toEqual([]);
    await msgs.deleteOne({ _id: 7 });
    expect(ids(await msgs.find({ $text: { $search: 'latte' } }).toArray())).toEqual([]);
  });

  it('$text without a text index fails (IndexNotFound, 27)', async () => {
    const c = db.collection<any>('no_text_index');
    await c.insertOne({ t: 'coffee' });
    const err = await rejectionOf(c.find({ $text: { $search: 'coffee' } }).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(27);
    expect(err.message).toMatch(/text index/);
  });
});
