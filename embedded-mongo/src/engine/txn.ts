/**
 * A multi-document transaction with snapshot isolation: reads see committed state as of the
 * first operation plus the transaction's own writes; writes stay private until commit, which
 * applies them in one batch. First writer wins: touching a record another open transaction wrote,
 * or one committed after our snapshot, fails with WriteConflict (TransientTransactionError).
 */
import { deserialize, type Document } from 'bson';
import type { RecordId } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';
import type { Batch, Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { equalityKey } from './ordering.js';
import type { Store } from './store.js';

interface Write {
  buf: Buffer | null;
  doc: Document | null;
  /** True when the record did not exist at the snapshot (inserted by this transaction). */
  inserted: boolean;
  kind: 'update' | 'replace';
}

/** Record locks held by open transactions: `${ns}\0${rid}` or `${ns}\0#${idKey}` for inserts. */
const locks = new Map<string, Transaction>();

/** Thrown by plain (non-transaction) writes that touch a record an open transaction wrote. */
export class LockedByTransaction extends Error {
  constructor(readonly released: Promise<void>) {
    super('record locked by an open transaction');
  }
}

/** Throws LockedByTransaction if `key` is locked by an open transaction. */
export function checkUnlocked(key: string): void {
  const owner = locks.get(key);
  if (owner) throw new LockedByTransaction(owner.released);
}

export const lockKey = (ns: string, rid: RecordId) => `${ns}\0${rid}`;
export const insertLockKey = (ns: string, idKey: string) => `${ns}\0#${idKey}`;

export function writeConflict(): MongoError {
  return new MongoError(Codes.WriteConflict, 'WriteConflict', 'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.', { errorLabels: ['TransientTransactionError'] });
}

export class Transaction implements Store {
  readonly inTxn = true;
  readonly snapshot: number;
  private readonly writes = new Map<Collection, Map<RecordId, Write>>();
  private readonly insertedIds = new Map<Collection, Map<string, RecordId>>();
  private readonly held: string[] = [];
  /** Collections this transaction created implicitly: not journaled until commit, dropped on abort. */
  private readonly created: Collection[] = [];
  private closed = false;
  private committed = false;
  private release!: () => void;
  /** Resolves when the transaction commits or aborts (plain writes waiting on its locks). */
  readonly released = new Promise<void>((r) => { this.release = r; });
  lastUse = Date.now();

  constructor(readonly catalog: Catalog, readonly lsid: Document, readonly txnNumber: unknown) {
    this.snapshot = catalog.seq;
    catalog.openSnapshots++;
  }

  /** Creates a collection for a write inside the transaction. It is registered in the catalog (so
   *  later statements find it) but journaled only at commit, and removed again on abort. */
  createCollection(db: string, name: string): Collection {
    const coll = this.catalog.createColl(db, name, {}, { ops: [], replay: true }, false);
    this.created.push(coll);
    return coll;
  }

  private lock(key: string): void {
    const owner = locks.get(key);
    if (owner && owner !== this) throw writeConflict();
    if (!owner) { locks.set(key, this); this.held.push(key); }
  }

  private own(coll: Collection): Map<RecordId, Write> {
    let m = this.writes.get(coll);
    if (!m) this.writes.set(coll, (m = new Map()));
    return m;
  }

  *scan(coll: Collection, candidates: Iterable<RecordId> | null): Iterable<[RecordId, Buffer]> {
    const own = this.writes.get(coll);
    const seen = new Set<RecordId>();
    const visit = function* (this: Transaction, rid: RecordId): Iterable<[RecordId, Buffer]> {
      if (seen.has(rid)) return;
      seen.add(rid);
      const buf = this.get(coll, rid);
      if (buf) yield [rid, buf];
    }.bind(this);
    for (const rid of candidates ?? coll.records.keys()) yield* visit(rid);
    for (const rid of coll.history.keys()) yield* visit(rid);
    if (own) for (const rid of own.keys()) yield* visit(rid);
  }

  get(coll: Collection, rid: RecordId): Buffer | undefined {
    const w = this.writes.get(coll)?.get(rid);
    if (w) return w.buf ?? undefined;
    return coll.versionAt(rid, this.snapshot);
  }

  ridForId(coll: Collection, id: unknown): RecordId | undefined {
    const mine = this.insertedIds.get(coll)?.get(equalityKey(id));
    if (mine !== undefined && this.get(coll, mine)) return mine;
    const rid = coll.ridOf(id);
    if (rid !== undefined && this.get(coll, rid)) return rid;
    return undefined;
  }

  count(coll: Collection): number {
    let n = 0;
    for (const _ of this.scan(coll, null)) n++;
    return n;
  }

  insert(coll: Collection, buf: Buffer, doc: Document, _batch: Batch): void {
    const key = equalityKey(doc._id);
    if (this.ridForId(coll, doc._id) !== undefined) {
      throw new MongoError(Codes.DuplicateKey, 'DuplicateKey', `E11000 duplicate key error collection: ${coll.ns} index: _id_ dup key: ${JSON.stringify({ _id: doc._id })}`, { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } });
    }
    if (coll.ridOf(doc._id) !== undefined) throw writeConflict(); // inserted by someone else after our snapshot
    this.lock(insertLockKey(coll.ns, key));
    coll.indexes.checkUnique(null, doc, this.touched(coll));
    const rid = coll.nextRid++;
    this.own(coll).set(rid, { buf, doc, inserted: true, kind: 'replace' });
    let ids = this.insertedIds.get(coll);
    if (!ids) this.insertedIds.set(coll, (ids = new Map()));
    ids.set(key, rid);
  }

  private touched(coll: Collection): RecordId[] {
    return [...(this.writes.get(coll)?.keys() ?? [])];
  }

  private claim(coll: Collection, rid: RecordId): Write | undefined {
    const existing = this.writes.get(coll)?.get(rid);
    if (existing?.inserted) return existing;
    this.lock(lockKey(coll.ns, rid));
    if (!coll.records.has(rid) || coll.seqOf(rid) > this.snapshot) throw writeConflict();
    return existing;
  }

  replace(coll: Collection, rid: RecordId, buf: Buffer, doc: Document, _oldDoc: Document, _batch: Batch, kind: 'update' | 'replace'): void {
    const prev = this.claim(coll, rid);
    coll.indexes.checkUnique(rid, doc, this.touched(coll));
    this.own(coll).set(rid, { buf, doc, inserted: prev?.inserted ?? false, kind: prev?.inserted ? 'replace' : kind });
  }

  remove(coll: Collection, rid: RecordId, _oldDoc: Document, _batch: Batch): void {
    const prev = this.claim(coll, rid);
    this.own(coll).set(rid, { buf: null, doc: null, inserted: prev?.inserted ?? false, kind: 'update' });
  }

  /** Applies every write to committed state in one batch. Throws (and aborts) on conflict. */
  commit(batch: Batch): void {
    if (this.closed) return;
    try {
      for (const [coll, ws] of this.writes) {
        const live = this.catalog.getColl(coll.db, coll.name);
        // The collection was dropped or renamed while we ran: like MongoDB, the transaction aborts.
        if (live !== coll && (live || coll.records.size > 0 || [...ws.values()].some((w) => !w.inserted))) throw writeConflict();
        for (const [rid, w] of ws) {
          if (w.inserted) {
            // Check before applying anything, so a duplicate cannot leave half a commit behind.
            const into = live ?? coll;
            if (w.doc && into.ridOf(w.doc._id) !== undefined) throw writeConflict();
            if (w.doc) into.indexes.checkUnique(null, w.doc, into === coll ? [...ws.keys()] : []);
            continue;
          }
          if (!coll.records.has(rid) || coll.seqOf(rid) > this.snapshot) throw writeConflict();
          if (w.doc) coll.indexes.checkUnique(rid, w.doc, [...ws.keys()]);
        }
      }
      for (const coll of this.created) {
        if (this.catalog.getColl(coll.db, coll.name) === coll) batch.ops.push({ op: 'createCollection', db: coll.db, coll: coll.name, options: coll.options });
      }
      for (const [coll, ws] of this.writes) {
        // A collection the transaction created may have been dropped meanwhile: recreate it.
        const target = this.catalog.getColl(coll.db, coll.name) ?? this.catalog.createColl(coll.db, coll.name, coll.options, batch, false);
        for (const [rid, w] of ws) {
          if (w.inserted) {
            if (w.doc && w.buf) this.catalog.insertRec(target, w.buf, w.doc, batch);
            continue;
          }
          const oldDoc = deserialize(coll.records.get(rid)!, { promoteValues: false });
          if (w.doc && w.buf) this.catalog.replaceRec(coll, rid, w.buf, w.doc, oldDoc, batch, w.kind);
          else this.catalog.deleteRec(coll, rid, oldDoc, batch);
        }
      }
      this.committed = true;
    } finally {
      this.close();
    }
  }

  get hasWrites(): boolean {
    for (const ws of this.writes.values()) if (ws.size) return true;
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.committed) {
      // Aborted: a collection only this transaction created (still empty, never journaled) goes away.
      for (const coll of this.created) {
        if (this.catalog.getColl(coll.db, coll.name) === coll && coll.records.size === 0) this.catalog.dropColl(coll.db, coll.name, { ops: [], replay: true });
      }
    }
    for (const k of this.held) if (locks.get(k) === this) locks.delete(k);
    this.catalog.releaseSnapshot();
    this.release();
  }
}
