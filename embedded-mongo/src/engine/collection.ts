/**
 * One collection: records kept as encoded BSON in slabs (memory: ~1x the document size), the
 * IndexSet (whose `_id_` index maps `_id` to the record id), and before-images kept only while
 * snapshot transactions that may need them are open.
 */
import type { Document } from 'bson';
import type { IndexSet, IndexSpec, RecordId } from '../contracts.js';
import { RecordStore } from './record-store.js';

/** The value a record had just before the write numbered `seq` (null: it did not exist). */
export interface BeforeImage {
  seq: number;
  before: Buffer | null;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  /** Encoded documents, packed into slabs (record-store.ts). */
  readonly records = new RecordStore();
  /** Sequence number of the last write of a record, kept only while snapshot transactions are
   *  open (a record missing here was written before every open snapshot). */
  readonly seqs = new Map<RecordId, number>();
  readonly history = new Map<RecordId, BeforeImage[]>();
  nextRid = 1;
  /** Approximate live data size in bytes (sum of record sizes). */
  dataSize = 0;

  constructor(
    public db: string,
    public name: string,
    public options: Document,
    public indexes: IndexSet,
  ) {}

  /** Record id of the document with this `_id` (looked up in the `_id_` index). */
  ridOf(id: unknown): RecordId | undefined {
    return this.indexes.idLookup(id);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Value of record `rid` as seen by a snapshot taken at `snapshot` (undefined: not visible). */
  versionAt(rid: RecordId, snapshot: number): Buffer | undefined {
    const buf = this.records.get(rid);
    if (buf && this.seqOf(rid) <= snapshot) return buf;
    const images = this.history.get(rid);
    if (images) {
      for (const img of images) if (img.seq > snapshot) return img.before ?? undefined;
    }
    return undefined;
  }

  seqOf(rid: RecordId): number {
    return this.seqs.get(rid) ?? 0;
  }
}
