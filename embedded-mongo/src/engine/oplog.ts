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

const MAX_EVENTS = 20_000;

export class Oplog {
  private events: OplogEvent[] = [];
  private nextPos = 1;
  private waiters = new Set<() => void>();

  /** Appends the event, numbering it (its `pos` is overwritten). */
  append(e: OplogEvent): OplogEvent {
    const full = e;
    full.pos = this.nextPos++;
    this.events.push(full);
    // Trim in chunks: splicing one element per append would be O(n) per write.
    if (this.events.length > MAX_EVENTS + 1000) this.events.splice(0, this.events.length - MAX_EVENTS);
    return full;
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
