/**
 * The read/write surface commands use. DirectStore acts on committed state; a Transaction
 * (txn.ts) implements the same interface over a snapshot plus its own private writes.
 */
import type { Document } from 'bson';
import type { RecordId } from '../contracts.js';
import type { Batch, Catalog } from './catalog.js';
import type { Collection } from './collection.js';
import { equalityKey } from './ordering.js';
import { checkUnlocked, insertLockKey, lockKey } from './txn.js';

export interface Store {
  readonly catalog: Catalog;
  readonly inTxn: boolean;
  /** Visible records, restricted to `candidates` when given (a superset of what is needed). */
  scan(coll: Collection, candidates: Iterable<RecordId> | null): Iterable<[RecordId, Buffer]>;
  get(coll: Collection, rid: RecordId): Buffer | undefined;
  ridForId(coll: Collection, id: unknown): RecordId | undefined;
  count(coll: Collection): number;
  /** `idStart`/`idEnd`: the `_id` element's byte range in `buf` when it is not first (the stored copy gets it first). */
  insert(coll: Collection, buf: Buffer, doc: Document, batch: Batch, idStart?: number, idEnd?: number): void;
  replace(coll: Collection, rid: RecordId, buf: Buffer, doc: Document, oldDoc: Document, batch: Batch, kind: 'update' | 'replace'): void;
  remove(coll: Collection, rid: RecordId, oldDoc: Document, batch: Batch): void;
}

export class DirectStore implements Store {
  readonly inTxn = false;
  constructor(readonly catalog: Catalog) {}

  *scan(coll: Collection, candidates: Iterable<RecordId> | null): Iterable<[RecordId, Buffer]> {
    if (!candidates) {
      yield* coll.records;
      return;
    }
    for (const rid of candidates) {
      const buf = coll.records.get(rid);
      if (buf) yield [rid, buf];
    }
  }

  get(coll: Collection, rid: RecordId): Buffer | undefined {
    return coll.records.get(rid);
  }

  ridForId(coll: Collection, id: unknown): RecordId | undefined {
    return coll.ridOf(id);
  }

  count(coll: Collection): number {
    return coll.records.size;
  }

  insert(coll: Collection, buf: Buffer, doc: Document, batch: Batch, idStart = -1, idEnd = -1): void {
    if (this.catalog.openSnapshots > 0) checkUnlocked(insertLockKey(coll.ns, equalityKey(doc._id)));
    this.catalog.insertRec(coll, buf, doc, batch, idStart, idEnd);
  }

  replace(coll: Collection, rid: RecordId, buf: Buffer, doc: Document, oldDoc: Document, batch: Batch, kind: 'update' | 'replace'): void {
    if (this.catalog.openSnapshots > 0) checkUnlocked(lockKey(coll.ns, rid));
    this.catalog.replaceRec(coll, rid, buf, doc, oldDoc, batch, kind);
  }

  remove(coll: Collection, rid: RecordId, oldDoc: Document, batch: Batch): void {
    if (this.catalog.openSnapshots > 0) checkUnlocked(lockKey(coll.ns, rid));
    this.catalog.deleteRec(coll, rid, oldDoc, batch);
  }
}
