/**
 * Open cursors. Results are materialised at the first batch (a consistent snapshot of the query)
 * as encoded documents; getMore hands out further slices. Idle cursors expire after 10 minutes.
 */
import { Long, type Document } from 'bson';

export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FIRST_BATCH = 101;

export interface CursorSource {
  /** Next documents for a batch (change streams produce them lazily). */
  next(batchSize: number, maxAwaitMS: number): Buffer[] | Promise<Buffer[]>;
  done(): boolean;
  /** Extra fields for the `cursor` sub-document (e.g. postBatchResumeToken). */
  extra?(): Document;
  close?(): void;
  /** Tailable cursors (change streams) never report exhaustion. */
  tailable?: boolean;
}

export class ArraySource implements CursorSource {
  private at = 0;
  constructor(private readonly docs: Buffer[]) {}
  next(batchSize: number): Buffer[] {
    const out: Buffer[] = [];
    let bytes = 0;
    while (this.at < this.docs.length && out.length < batchSize) {
      const d = this.docs[this.at]!;
      if (out.length > 0 && bytes + d.length > MAX_BATCH_BYTES) break;
      out.push(d);
      bytes += d.length;
      this.at++;
    }
    return out;
  }
  done(): boolean {
    return this.at >= this.docs.length;
  }
}

export interface OpenCursor {
  id: Long;
  ns: string;
  source: CursorSource;
  lastUse: number;
  lsidKey?: string;
  /** Remaining documents allowed by the query's limit (Infinity if none). */
  remaining: number;
}

export class Cursors {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  register(ns: string, source: CursorSource, remaining: number, lsidKey?: string): OpenCursor {
    const id = Long.fromBigInt(++this.nextId);
    const c: OpenCursor = { id, ns, source, lastUse: Date.now(), remaining, lsidKey };
    this.open.set(id.toString(), c);
    return c;
  }

  get(id: Long | number | bigint): OpenCursor | undefined {
    return this.open.get(String(id));
  }

  kill(id: Long | number | bigint): boolean {
    const c = this.open.get(String(id));
    if (!c) return false;
    c.source.close?.();
    return this.open.delete(String(id));
  }

  killForSession(lsidKey: string): void {
    for (const c of [...this.open.values()]) if (c.lsidKey === lsidKey) this.kill(c.id);
  }

  sweep(now: number, idleMs = 10 * 60_000): void {
    for (const c of [...this.open.values()]) if (now - c.lastUse > idleMs) this.kill(c.id);
  }

  closeAll(): void {
    for (const c of [...this.open.values()]) this.kill(c.id);
  }

  get size(): number {
    return this.open.size;
  }
}
