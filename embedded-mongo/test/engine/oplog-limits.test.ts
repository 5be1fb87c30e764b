/**
 * The change-stream history is bounded by size (like MongoDB's oplog): old events go once the
 * budget is spent, and resuming from before the oldest kept event fails loudly (286) instead of
 * skipping events; resuming from a kept event still delivers everything after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Document, ResumeToken } from 'mongodb';
import { Oplog, DEFAULT_OPLOG_LIMITS, type OplogEvent } from '../../src/engine/oplog.js';
import { startHarness, type Harness } from './helpers.js';

function event(bytes: number): OplogEvent {
  return { pos: 0, ts: undefined as never, wallTime: new Date(), kind: 'insert', db: 'd', coll: 'c', id: 1, after: Buffer.alloc(bytes) };
}

describe('oplog limits', () => {
  it('keeps the newest events within the byte budget, contiguous and in order', () => {
    const log = new Oplog({ maxEvents: 1000, maxBytes: 10_000 });
    for (let i = 0; i < 200; i++) log.append(event(700)); // ~1000 bytes each with the overhead
    const kept = log.since(0);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(11);
    expect(kept.map((e) => e.pos)).toEqual(Array.from({ length: kept.length }, (_, i) => 201 - kept.length + i));
    expect(log.firstPos).toBe(kept[0]!.pos);
    expect(log.lastPos).toBe(200);
  });

  it('keeps the newest event even when it alone exceeds the budget', () => {
    const log = new Oplog({ maxEvents: 1000, maxBytes: 1000 });
    log.append(event(100));
    log.append(event(5000));
    expect(log.since(0).map((e) => e.pos)).toEqual([2]);
  });

  it('bounds the number of events too', () => {
    const log = new Oplog({ maxEvents: 100, maxBytes: 1 << 30 });
    for (let i = 0; i < 1000; i++) log.append(event(10));
    expect(log.since(0).length).toBeLessThanOrEqual(100 + (100 >> 4));
    expect(log.lastPos).toBe(1000);
  });
});

describe('change streams over a trimmed history', () => {
  let h: Harness;
  let db: Db;
  beforeAll(async () => { h = await startHarness(); db = h.client.db('oplog_limits'); });
  afterAll(async () => h.close());

  it('a stream that fell behind the kept history fails with ChangeStreamHistoryLost instead of skipping events', async () => {
    const c = db.collection<{ _id: number; big: string }>('behind');
    const cs = c.watch([], { maxAwaitTimeMS: 200 });
    await cs.tryNext();
    const big = 'x'.repeat(64 * 1024);
    const n = Math.ceil((DEFAULT_OPLOG_LIMITS.maxBytes * 1.5) / big.length);
    for (let i = 0; i < n; i++) await c.insertOne({ _id: i, big });
    await expect(cs.next()).rejects.toMatchObject({ code: 286 });
    await cs.close().catch(() => undefined);
  });

  it('a resume point older than the kept history fails with ChangeStreamHistoryLost; a recent one resumes', async () => {
    const c = db.collection<{ _id: number | string; big?: string }>('big');
    const cs = c.watch([], { maxAwaitTimeMS: 200 });
    await cs.tryNext();
    const first = await c.insertOne({ _id: 'first' });
    expect(first.acknowledged).toBe(true);
    const firstEvent = (await cs.next()) as Document;
    await cs.close();
    const big = 'x'.repeat(64 * 1024);
    const n = Math.ceil((DEFAULT_OPLOG_LIMITS.maxBytes * 1.5) / big.length);
    for (let i = 0; i < n; i++) await c.insertOne({ _id: i, big });

    const lost = c.watch([], { resumeAfter: firstEvent._id as ResumeToken, maxAwaitTimeMS: 200 });
    await expect(lost.tryNext()).rejects.toMatchObject({ code: 286 });
    await lost.close().catch(() => undefined);

    // A stream opened now resumes from its own token across later writes.
    const recent = c.watch([], { maxAwaitTimeMS: 200 });
    await recent.tryNext();
    await c.insertOne({ _id: 'a' });
    await recent.next();
    const token = recent.resumeToken!;
    await recent.close();
    await c.insertOne({ _id: 'b' });
    await c.insertOne({ _id: 'c' });
    const resumed = c.watch([], { resumeAfter: token, maxAwaitTimeMS: 200 });
    const after: unknown[] = [];
    while (after.length < 2) after.push(((await resumed.next()) as Document).documentKey._id);
    expect(after).toEqual(['b', 'c']);
    await resumed.close();
  });
});
