/**
 * The fast insert path reorders each document's `_id` in one shared scratch area and copies it
 * into the record slabs; the journal and change events must take the stored copies. A batch of
 * documents of varied sizes, with the `_id`s the driver appends, must come back exactly: from
 * queries, from a change stream, and after a restart from the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Double, Int32, Long } from 'mongodb';
import { startHarness } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-insert-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docs = (): Record<string, unknown>[] =>
  Array.from({ length: 300 }, (_, i) => ({ email: `u${i}@x.org`, group: i % 7, n: i, pad: 'p'.repeat((i * 37) % 900) }));

describe('batched inserts through the fast path', () => {
  it('stores, streams and journals every document exactly', async () => {
    const a = await startHarness({ dataDir: dir });
    const coll = a.client.db('ip').collection<Record<string, unknown>>('c');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.createIndex({ group: 1, n: -1 });
    const stream = coll.watch();
    const events: unknown[] = [];
    const collecting = (async () => {
      for await (const e of stream) {
        events.push((e as { fullDocument?: unknown }).fullDocument);
        if (events.length === 300) break;
      }
    })();
    await new Promise((r) => setTimeout(r, 200)); // the stream's first getMore is waiting
    const sent = docs();
    await coll.insertMany(sent, { ordered: false }); // the driver adds each _id, last
    await collecting;
    await stream.close();
    const expected = sent.map((d) => ({ _id: d._id, email: d.email, group: d.group, n: d.n, pad: d.pad }));
    expect(await coll.find().sort({ n: 1 }).toArray()).toEqual(expected);
    expect(events).toEqual(expected);
    // _id is stored first, as MongoDB does.
    expect(Object.keys((await coll.findOne({ n: 5 }))!)[0]).toBe('_id');
    await a.close();

    const b = await startHarness({ dataDir: dir });
    const again = b.client.db('ip').collection('c');
    expect(await again.find().sort({ n: 1 }).toArray()).toEqual(expected);
    expect(await again.find({ group: 3, n: { $gte: 100 } }).sort({ n: -1 }).limit(2).toArray()).toEqual(expected.filter((d) => d.group === 3 && (d.n as number) >= 100).reverse().slice(0, 2));
    await b.close();
  });

  it('indexes numbers of every BSON type alike (index keys are decoded as plain numbers)', async () => {
    const h = await startHarness();
    const coll = h.client.db('ip').collection<{ _id: number | Int32 | Double; k: unknown; g?: number }>('nums');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.createIndex({ g: 1, k: -1 });
    await coll.insertMany([{ _id: new Int32(1), k: new Int32(1), g: 1 }, { _id: 2, k: new Double(2.5), g: 1 }, { _id: 3, k: Long.fromNumber(3), g: 1 }], { ordered: false });
    // 1 (int32) and 1.0 (double) are the same key, for `_id` as for a unique index.
    await expect(coll.insertOne({ _id: 10, k: new Double(1) })).rejects.toMatchObject({ code: 11000, keyValue: { k: 1 } });
    await expect(coll.insertOne({ _id: new Double(1), k: 99 })).rejects.toMatchObject({ code: 11000 });
    expect(await coll.find({ k: { $gte: 2 } }).sort({ k: 1 }).toArray()).toEqual([{ _id: 2, k: 2.5, g: 1 }, { _id: 3, k: 3, g: 1 }]);
    expect((await coll.find({ g: 1 }).sort({ k: -1 }).toArray()).map((d) => d._id)).toEqual([3, 2, 1]);
    // The stored values keep their types.
    const raw = await coll.findOne({ _id: 2 }, { promoteValues: false });
    expect((raw!.k as { _bsontype: string })._bsontype).toBe('Double');
    await h.close();
  });
});
