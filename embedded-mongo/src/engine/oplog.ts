/**
 * In-memory, bounded log of committed changes, read by change streams. Events keep encoded
 * documents and compute their change-stream shape only when a stream reads them.
 */
import type { Document, Timestamp } from 'bson';

export type EventKind = 'insert' | 'update' | 'replace' | 'delete' | 'drop' | 'rename' | 'dropDatabase' | 'invalidate' | 'create' | 'createIndexes' | 'dropIndexes';

export interface OplogEvent {
  /** Position in the log; also encoded in the resume token. */
  pos: number;
  ts: Timestamp;
  wallTime: Date;
  kind: EventKind;
  db: string;
  coll?: string;
  /** Typed `_id` of the document (document events). */
  id?: unknown;
  /** Encoded document after the write (insert/update/replace). */
  after?: Buffer;
  /** Encoded document before the write (update/replace/delete). */
  before?: Buffer;
  to?: { db: string; coll: string };
  txn?: { lsid: Document; txnNumber: unknown };
}

/**
 * The history is bounded like MongoDB's oplog: by size, not by age. A resume from before the
 * oldest kept event fails with ChangeStreamHistoryLost (286), never silently skips events.
 * EVENT_OVERHEAD approximates the JS heap an event costs besides its documents (the event
 * object, Timestamp, Date, typed _id and Buffer views: ~250-350 bytes measured with probe.ts).
 * The documents are views of the record slabs, but a view keeps its whole slab alive once the
 * record is updated or deleted, so they are counted too.
 */
export interface OplogLimits {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_OPLOG_LIMITS: OplogLimits = { maxEvents: 20_000, maxBytes: 4 * 1024 * 1024 };
const EVENT_OVERHEAD = 300;

function sizeOf(e: OplogEvent): number {
  return EVENT_OVERHEAD + (e.after ? e.after.length : 0) + (e.before ? e.before.length : 0);
}

export class Oplog {
  private events: OplogEvent[] = [];
  /** Estimated bytes of `events` (sizeOf summed). */
  private bytes = 0;
  private nextPos = 1;
  private waiters = new Set<() => void>();

  constructor(private readonly limits: OplogLimits = DEFAULT_OPLOG_LIMITS) {}

  /** Appends the event, numbering it (its `pos` is overwritten). */
  append(e: OplogEvent): OplogEvent {
    const full = e;
    full.pos = this.nextPos++;
    this.events.push(full);
    this.bytes += sizeOf(full);
    // Trim in chunks (1/16 of the budget past the limit): splicing one element per append
    // would be O(n) per write.
    const { maxEvents, maxBytes } = this.limits;
    if (this.events.length > maxEvents + (maxEvents >> 4) || this.bytes > maxBytes + (maxBytes >> 4)) this.trim();
    return full;
  }

  private trim(): void {
    const { maxEvents, maxBytes } = this.limits;
    let drop = Math.max(0, this.events.length - maxEvents);
    let bytes = this.bytes;
    for (let i = 0; i < drop; i++) bytes -= sizeOf(this.events[i]!);
    // Always keep the newest event, so a stream opened now can resume from it.
    while (bytes > maxBytes && drop < this.events.length - 1) bytes -= sizeOf(this.events[drop++]!);
    this.events.splice(0, drop);
    this.bytes = bytes;
  }

  /** Wakes change-stream getMores waiting for new events (called once per committed batch). */
  notify(): void {
    if (this.waiters.size === 0) return;
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  get lastPos(): number {
    return this.nextPos - 1;
  }

  get firstPos(): number {
    return this.events[0]?.pos ?? this.nextPos;
  }

  /** Events with pos > after, in order. */
  since(after: number): OplogEvent[] {
    const first = this.events[0];
    if (!first) return [];
    const start = Math.max(0, after + 1 - first.pos);
    return this.events.slice(start);
  }

  /** Position of the first event at or after the given cluster time. */
  posAtTime(ts: Timestamp): number {
    for (const e of this.events) if (e.ts.compare(ts) >= 0) return e.pos - 1;
    return this.lastPos;
  }
}
