/**
 * One collection: records kept as encoded BSON (memory: ~1x the document size), a map from the
 * `_id` equality key to the record id, the IndexSet, and before-images kept only while snapshot
 * transactions that may need them are open.
 */
import type { Document } from 'bson';
import type { IndexSet, IndexSpec, RecordId } from '../contracts.js';

export interface Rec {
  buf: Buffer;
  /** Commit sequence number of the write that produced this version. */
  seq: number;
}

/** The value a record had just before the write numbered `seq` (null: it did not exist). */
export interface BeforeImage {
  seq: number;
  before: Buffer | null;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly records = new Map<RecordId, Rec>();
  readonly byId = new Map<string, RecordId>();
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

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Value of record `rid` as seen by a snapshot taken at `snapshot` (undefined: not visible). */
  versionAt(rid: RecordId, snapshot: number): Buffer | undefined {
    const rec = this.records.get(rid);
    if (rec && rec.seq <= snapshot) return rec.buf;
    const images = this.history.get(rid);
    if (images) {
      for (const img of images) if (img.seq > snapshot) return img.before ?? undefined;
    }
    return rec && rec.seq <= snapshot ? rec.buf : undefined;
  }
}
