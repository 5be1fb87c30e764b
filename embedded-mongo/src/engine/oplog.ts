/**
 * In-memory, bounded log of committed changes, read by change streams. Events keep encoded
 * documents and compute their change-stream shape only when a stream reads them.
 *
 * Stored column-wise: every write appends one, so an event object per write (with a Buffer view
 * and a typed `_id`, ~270 bytes) was most of an insert's garbage that lived long enough to be
 * promoted to the old generation (measured with bench/probe.ts at 100k inserts: resident memory
 * 152 -> 142 MB and insert CPU 8.5 -> 7.1 us/doc without those objects). Here an insert event is
 * a few array slots: its kind, the group it shares with the other events of its command (cluster
 * time, wall time, namespace, transaction), and where its document sits in a record slab. Events
 * are materialised as OplogEvent objects only when a stream reads them.
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

/** What the events of one command share. */
export interface EventGroup {
  ts: Timestamp;
  wallTime: Date;
  db: string;
  coll?: string;
  txn?: { lsid: Document; txnNumber: unknown };
}

/** The fields few events have. */
interface Extra {
  id?: unknown;
  before?: Buffer;
  to?: { db: string; coll: string };
}

const KINDS: EventKind[] = ['insert', 'update', 'replace', 'delete', 'drop', 'rename', 'dropDatabase', 'invalidate', 'create', 'createIndexes', 'dropIndexes'];
const KIND_CODE = new Map(KINDS.map((k, i) => [k, i]));
/** `ats` value for an `after` held as its own buffer rather than at an offset of a slab. */
const WHOLE = -1;

export class Oplog {
  /**
   * Event k of the arrays has position `basePos + k`; slots before `head` are trimmed (emptied) and
   * cut off the arrays only once they are half of them, so trimming costs O(1) per event.
   */
  private basePos = 1;
  private head = 0;
  private kinds: number[] = [];
  private groups: EventGroup[] = [];
  /** The buffer holding the document after the write (a record slab) and its offset there. */
  private afters: (Buffer | undefined)[] = [];
  private ats: number[] = [];
  private extras: (Extra | undefined)[] = [];
  /** Estimated bytes of the kept events (sizeAt summed). */
  private bytes = 0;
  private waiters = new Set<() => void>();

  constructor(private readonly limits: OplogLimits = DEFAULT_OPLOG_LIMITS) {}

  /** Appends an event given whole (its `pos` is overwritten with the position it gets). */
  append(e: OplogEvent): OplogEvent {
    const extra = e.id !== undefined || e.before || e.to ? { id: e.id, before: e.before, to: e.to } : undefined;
    const group = this.groupFor(e.ts, e.wallTime, e.db, e.coll, e.txn);
    e.pos = this.push(KIND_CODE.get(e.kind)!, group, e.after, WHOLE, extra);
    return e;
  }

  /**
   * Appends a document event: `after` is the slab holding the new document at offset `at` (as a
   * record store keeps it; slab bytes are never overwritten). Insert events need no `id`: it is
   * read from the document when a stream asks.
   */
  appendDoc(kind: EventKind, group: EventGroup, after: Buffer | undefined, at: number, extra?: Extra): number {
    return this.push(KIND_CODE.get(kind)!, group, after, at, extra);
  }

  /** The group for these shared fields: the previous event's when they match (same command). */
  groupFor(ts: Timestamp, wallTime: Date, db: string, coll: string | undefined, txn: EventGroup['txn']): EventGroup {
    const last = this.groups[this.groups.length - 1];
    if (last && last.ts === ts && last.wallTime === wallTime && last.db === db && last.coll === coll && last.txn === txn) return last;
    return { ts, wallTime, db, coll, txn };
  }

  private push(kind: number, group: EventGroup, after: Buffer | undefined, at: number, extra: Extra | undefined): number {
    const k = this.kinds.length;
    this.kinds.push(kind);
    this.groups.push(group);
    this.afters.push(after);
    this.ats.push(at);
    this.extras.push(extra);
    this.bytes += this.sizeAt(k);
    // Trim in chunks (1/16 of the budget past the limit): splicing per append would be O(n) per write.
    const { maxEvents, maxBytes } = this.limits;
    if (this.kinds.length - this.head > maxEvents + (maxEvents >> 4) || this.bytes > maxBytes + (maxBytes >> 4)) this.trim();
    return this.basePos + k;
  }

  private afterAt(k: number): Buffer | undefined {
    const buf = this.afters[k];
    if (!buf) return undefined;
    const at = this.ats[k]!;
    return at === WHOLE ? buf : buf.subarray(at, at + buf.readInt32LE(at));
  }

  private sizeAt(k: number): number {
    const buf = this.afters[k];
    const at = this.ats[k]!;
    const after = !buf ? 0 : at === WHOLE ? buf.length : buf.readInt32LE(at);
    return EVENT_OVERHEAD + after + (this.extras[k]?.before?.length ?? 0);
  }

  private trim(): void {
    const { maxEvents, maxBytes } = this.limits;
    const n = this.kinds.length;
    let head = Math.max(this.head, n - maxEvents);
    let bytes = this.bytes;
    for (let i = this.head; i < head; i++) bytes -= this.sizeAt(i);
    // Always keep the newest event, so a stream opened now can resume from it.
    while (bytes > maxBytes && head < n - 1) bytes -= this.sizeAt(head++);
    // Emptied slots no longer keep their slabs and before-images alive.
    for (let i = this.head; i < head; i++) {
      this.afters[i] = undefined;
      this.extras[i] = undefined;
    }
    this.head = head;
    this.bytes = bytes;
    if (head * 2 >= n) {
      for (const column of [this.kinds, this.groups, this.afters, this.ats, this.extras] as unknown[][]) column.splice(0, head);
      this.basePos += head;
      this.head = 0;
    }
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
    return this.basePos + this.kinds.length - 1;
  }

  get firstPos(): number {
    return this.basePos + this.head;
  }

  /** Events with pos > after, in order. */
  since(after: number): OplogEvent[] {
    return [...this.eventsSince(after)];
  }

  /** Events with pos > after, in order, materialised one at a time as the reader asks. */
  *eventsSince(after: number): Generator<OplogEvent> {
    for (let k = Math.max(this.head, after + 1 - this.basePos); k < this.kinds.length; k++) {
      const g = this.groups[k]!;
      const x = this.extras[k];
      yield {
        pos: this.basePos + k, ts: g.ts, wallTime: g.wallTime, kind: KINDS[this.kinds[k]!]!, db: g.db, coll: g.coll,
        id: x?.id, after: this.afterAt(k), before: x?.before, to: x?.to, txn: g.txn,
      };
    }
  }

  /** Position of the first event at or after the given cluster time. */
  posAtTime(ts: Timestamp): number {
    for (let k = this.head; k < this.groups.length; k++) if (this.groups[k]!.ts.compare(ts) >= 0) return this.basePos + k - 1;
    return this.lastPos;
  }
}
