/**
 * The records of one collection: encoded BSON documents packed into large append-only slabs,
 * addressed by record id through small Int32Array pages.
 *
 * Why: one Buffer object plus one Map entry per document cost ~130 bytes of JS heap per record
 * and 100k objects for the GC to trace; here a record costs 4 bytes of page slot and a 4-byte
 * header in its slab, and the GC sees a few dozen objects per collection.
 *
 * Slab bytes are never overwritten: a replaced or deleted record leaves garbage behind, and a
 * slab that is mostly garbage has its live records copied to the current slab and is then
 * forgotten. So a view returned by get() stays valid and unchanged for as long as anyone holds
 * it (change-stream events, before-images, cursors, replies), which keeps stored data from ever
 * being aliased by later writes.
 *
 * Iteration is in record id order (= insertion order, ids only grow) and, like a Map's,
 * tolerates writes during the walk: it re-reads each location as it goes.
 */
import type { RecordId } from '../contracts.js';

const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;
const OFFSET_BITS = 20;
/** Largest shared slab; also the largest offset a location can hold. */
const MAX_SLAB = 1 << OFFSET_BITS;
const FIRST_SLAB = 4096;
/** Documents larger than this get a slab of their own (no copying them around on compaction). */
const OWN_SLAB_OVER = MAX_SLAB / 4;
const MAX_SLABS = 1 << (31 - OFFSET_BITS);
const HEADER = 4; // record id, before each document

interface Slab {
  buf: Buffer;
  /** Bytes written so far (the next record goes here). */
  used: number;
  /** Bytes of replaced or deleted records. */
  garbage: number;
}

export class RecordStore {
  private pages: (Int32Array | undefined)[] = [];
  private pageLive: number[] = [];
  private slabs: (Slab | undefined)[] = [];
  private freeSlots: number[] = [];
  private current = -1;
  private nextSlabSize = FIRST_SLAB;
  private count = 0;
  /** One past the highest record id ever stored (iteration bound). */
  private end = 1;

  get size(): number {
    return this.count;
  }

  has(rid: RecordId): boolean {
    return this.loc(rid) >= 0;
  }

  /** A view of the stored bytes (valid and immutable for as long as it is held). */
  get(rid: RecordId): Buffer | undefined {
    const loc = this.loc(rid);
    if (loc < 0) return undefined;
    const slab = this.slabs[loc >>> OFFSET_BITS]!.buf;
    const at = loc & (MAX_SLAB - 1);
    return slab.subarray(at, at + slab.readInt32LE(at));
  }

  /**
   * The slab holding record `rid` (undefined when absent) and, from offsetOf, where the document
   * starts in it: for holders of many records that should not pay for a view object each (the
   * change-stream history). The slab's bytes at that offset never change.
   */
  slabOf(rid: RecordId): Buffer | undefined {
    const loc = this.loc(rid);
    return loc < 0 ? undefined : this.slabs[loc >>> OFFSET_BITS]!.buf;
  }

  offsetOf(rid: RecordId): number {
    return this.loc(rid) & (MAX_SLAB - 1);
  }

  /**
   * Stores a copy of `doc` (an encoded document) as record `rid`, replacing any previous value.
   * With `idStart`/`idEnd` (the byte range of its `_id` element, not first), the copy has that
   * element moved to the front, as MongoDB stores documents: done inside the slab with
   * copyWithin, so no intermediate copy or view is made.
   */
  set(rid: RecordId, doc: Buffer, idStart = -1, idEnd = -1): this {
    const len = doc.length;
    const at = this.reserve(len);
    const slot = this.reservedSlot;
    const buf = this.slabs[slot]!.buf;
    buf.writeInt32LE(rid, at);
    // TypedArray#set: a plain memmove (Buffer#copy costs ~1 us per call in its JS argument checks).
    buf.set(doc, at + HEADER);
    if (idStart > 4) moveIdToFront(buf, at + HEADER, idStart, idEnd);
    this.place(rid, (slot << OFFSET_BITS) | (at + HEADER));
    return this;
  }

  delete(rid: RecordId): boolean {
    const loc = this.loc(rid);
    if (loc < 0) return false;
    const page = this.pages[rid >>> PAGE_BITS]!;
    page[rid & (PAGE_SIZE - 1)] = -1;
    this.count--;
    if (--this.pageLive[rid >>> PAGE_BITS]! === 0) this.pages[rid >>> PAGE_BITS] = undefined;
    // After unlinking: a compaction triggered here must not copy the deleted record.
    this.release(loc);
    return true;
  }

  *keys(): IterableIterator<RecordId> {
    for (let rid = 1; rid < this.end; rid++) {
      const page = this.pages[rid >>> PAGE_BITS];
      if (!page) {
        rid = ((rid >>> PAGE_BITS) + 1) * PAGE_SIZE - 1;
        continue;
      }
      if (page[rid & (PAGE_SIZE - 1)]! >= 0) yield rid;
    }
  }

  *values(): IterableIterator<Buffer> {
    for (const rid of this.keys()) {
      const buf = this.get(rid);
      if (buf) yield buf;
    }
  }

  *entries(): IterableIterator<[RecordId, Buffer]> {
    for (const rid of this.keys()) {
      const buf = this.get(rid);
      if (buf) yield [rid, buf];
    }
  }

  [Symbol.iterator](): IterableIterator<[RecordId, Buffer]> {
    return this.entries();
  }

  /** Bytes held by slabs (live records, their headers, garbage and unused tails). */
  get allocatedBytes(): number {
    let n = 0;
    for (const s of this.slabs) if (s) n += s.buf.length;
    return n;
  }

  private loc(rid: RecordId): number {
    const page = this.pages[rid >>> PAGE_BITS];
    return page ? page[rid & (PAGE_SIZE - 1)]! : -1;
  }

  private place(rid: RecordId, loc: number): void {
    const p = rid >>> PAGE_BITS;
    let page = this.pages[p];
    if (!page) {
      page = this.pages[p] = new Int32Array(PAGE_SIZE).fill(-1);
      this.pageLive[p] = 0;
    }
    const old = page[rid & (PAGE_SIZE - 1)]!;
    page[rid & (PAGE_SIZE - 1)] = loc;
    if (rid >= this.end) this.end = rid + 1;
    // After relinking: a compaction triggered here must not copy the replaced version.
    if (old >= 0) this.release(old);
    else {
      this.count++;
      this.pageLive[p]!++;
    }
  }

  /** Slab slot of the last reserve() (returned apart from the offset: no array per record). */
  private reservedSlot = -1;

  /** Room for a record of `len` bytes: the offset of its header, in slab `reservedSlot`. */
  private reserve(len: number): number {
    const need = len + HEADER;
    const cur = this.slabs[this.current];
    if (cur && cur.used + need <= cur.buf.length) {
      const at = cur.used;
      cur.used += need;
      this.reservedSlot = this.current;
      return at;
    }
    if (need > OWN_SLAB_OVER) {
      const slot = this.newSlab(need);
      this.slabs[slot]!.used = need;
      this.reservedSlot = slot;
      return 0;
    }
    // Slabs double from 4 KB so that thousands of small collections stay cheap.
    const size = Math.max(this.nextSlabSize, need);
    this.nextSlabSize = Math.min(MAX_SLAB, this.nextSlabSize * 2);
    this.current = this.newSlab(size);
    this.slabs[this.current]!.used = need;
    this.reservedSlot = this.current;
    return 0;
  }

  private newSlab(size: number): number {
    const slot = this.freeSlots.pop() ?? this.slabs.length;
    if (slot >= MAX_SLABS) throw new Error('embedded-mongo: collection exceeds the record store capacity (2 GB)');
    // allocUnsafeSlow: a slab is long-lived, it must not share (and pin) Node's small-buffer pool.
    this.slabs[slot] = { buf: Buffer.allocUnsafeSlow(size), used: 0, garbage: 0 };
    return slot;
  }

  /** Marks the record at `loc` as garbage; a slab that becomes mostly garbage is compacted. */
  private release(loc: number): void {
    const slot = loc >>> OFFSET_BITS;
    const slab = this.slabs[slot]!;
    const at = loc & (MAX_SLAB - 1);
    slab.garbage += slab.buf.readInt32LE(at) + HEADER;
    if (slab.garbage >= slab.used) {
      this.dropSlab(slot);
    } else if (slot !== this.current && slab.garbage * 2 > slab.used) {
      this.compact(slot);
    }
  }

  private dropSlab(slot: number): void {
    this.slabs[slot] = undefined;
    this.freeSlots.push(slot);
    if (slot === this.current) this.current = -1;
  }

  /** Copies the live records of a (non-current) slab into the current one and forgets the slab. */
  private compact(slot: number): void {
    const slab = this.slabs[slot]!;
    // Unlisted (so release() cannot reach it) but its slot is not reusable until the copies are done:
    // locations still naming this slot must keep meaning this slab while the loop checks them.
    this.slabs[slot] = undefined;
    for (let at = 0; at < slab.used; ) {
      const rid = slab.buf.readInt32LE(at);
      const len = slab.buf.readInt32LE(at + HEADER);
      const loc = (slot << OFFSET_BITS) | (at + HEADER);
      if (this.loc(rid) === loc) {
        const toAt = this.reserve(len);
        const to = this.reservedSlot;
        const dest = this.slabs[to]!;
        dest.buf.writeInt32LE(rid, toAt);
        slab.buf.copy(dest.buf, toAt + HEADER, at + HEADER, at + HEADER + len);
        this.pages[rid >>> PAGE_BITS]![rid & (PAGE_SIZE - 1)] = (to << OFFSET_BITS) | (toAt + HEADER);
      }
      at += HEADER + len;
    }
    this.freeSlots.push(slot);
  }
}

/** The `_id` bytes in transit (an element is short: type, "_id", value). */
let idScratch = new Uint8Array(64);

/**
 * In the document at buf[base..], moves the element at [idStart, idEnd) (offsets in the document)
 * to just after the length prefix, shifting the elements before it right.
 */
function moveIdToFront(buf: Buffer, base: number, idStart: number, idEnd: number): void {
  const n = idEnd - idStart;
  if (n > idScratch.length) idScratch = new Uint8Array(n);
  for (let i = 0; i < n; i++) idScratch[i] = buf[base + idStart + i]!;
  buf.copyWithin(base + 4 + n, base + 4, base + idStart);
  for (let i = 0; i < n; i++) buf[base + 4 + i] = idScratch[i]!;
}
