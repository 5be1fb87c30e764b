/**
 * Databases and collections, and the only code that mutates them. Every mutation appends a
 * journal op to the caller's batch and an event to the oplog, maintains indexes, and keeps
 * before-images while snapshot transactions are open.
 */
import { Timestamp, serialize, type Document } from 'bson';
import type { IndexSetFactory, JournalOp, RecordId } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';
import { Collection, ID_INDEX } from './collection.js';
import { Oplog, type EventKind, type OplogEvent } from './oplog.js';

export interface Batch {
  ops: JournalOp[];
  /** Set on replay: mutate state only (no journal, no events). */
  replay?: boolean;
  txn?: { lsid: Document; txnNumber: unknown };
  /** False: journal ops of document writes are not kept (in-memory server); see newBatch. */
  journaled?: boolean;
  /** Document writes not queued as ops because the batch is not journaled. */
  writes?: number;
  /** Cluster time and wall time shared by every event of one command (as a transaction's are). */
  ts?: Timestamp;
  wallTime?: Date;
}

/**
 * `journaled: false` (no data directory): document writes are counted in `writes` instead of
 * queued as journal ops, which nothing would read.
 */
export const newBatch = (journaled = true): Batch => ({ ops: [], journaled, writes: 0 });

export class Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();
  readonly oplog = new Oplog();
  /** Sequence number of the last committed write. */
  seq = 0;
  /** Open snapshot transactions; before-images are kept only while this is > 0. */
  openSnapshots = 0;
  private lastTs = new Timestamp({ t: 0, i: 0 });

  constructor(private readonly indexFactory: IndexSetFactory) {}

  /** A cluster time strictly greater than the previous one. */
  tick(): Timestamp {
    const t = Math.floor(Date.now() / 1000);
    const prevT = this.lastTs.high;
    this.lastTs = t > prevT ? new Timestamp({ t, i: 1 }) : new Timestamp({ t: prevT, i: this.lastTs.low + 1 });
    return this.lastTs;
  }

  get clusterTime(): Timestamp {
    return this.lastTs.high === 0 ? this.tick() : this.lastTs;
  }

  getColl(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  private event(batch: Batch, e: Omit<OplogEvent, 'pos' | 'ts' | 'wallTime'>): void {
    if (batch.replay) return;
    // One literal with every field: the oplog holds 20k of these, and properties added to an
    // object after its creation cost an extra backing store each (~60 B).
    this.oplog.append({
      pos: 0,
      ts: (batch.ts ??= this.tick()),
      wallTime: (batch.wallTime ??= new Date()),
      kind: e.kind,
      db: e.db,
      coll: e.coll,
      id: e.id,
      after: e.after,
      before: e.before,
      to: e.to,
      txn: batch.txn,
    });
  }

  /** A document event: the new version is read from the record store's slab when a stream asks. */
  private docEvent(batch: Batch, coll: Collection, kind: EventKind, rid: RecordId, id: unknown, before: Buffer | undefined): void {
    if (batch.replay) return;
    const group = this.oplog.groupFor((batch.ts ??= this.tick()), (batch.wallTime ??= new Date()), coll.db, coll.name, batch.txn);
    const slab = kind === 'delete' ? undefined : coll.records.slabOf(rid);
    const at = slab ? coll.records.offsetOf(rid) : 0;
    this.oplog.appendDoc(kind, group, slab, at, id === undefined && !before ? undefined : { id, before });
  }

  /** True when a document write's journal op is to be queued (else it is only counted: see newBatch). */
  private keepsOp(batch: Batch): boolean {
    if (batch.replay) return false;
    if (batch.journaled !== false) return true;
    batch.writes = (batch.writes ?? 0) + 1;
    return false;
  }

  createColl(db: string, name: string, options: Document, batch: Batch, mustNotExist = true): Collection {
    const existing = this.getColl(db, name);
    if (existing) {
      if (mustNotExist) throw new MongoError(Codes.NamespaceExists, 'NamespaceExists', `Collection ${db}.${name} already exists.`);
      return existing;
    }
    validateName(db, name);
    const coll = new Collection(db, name, options, this.indexFactory(`${db}.${name}`));
    coll.indexes.create(ID_INDEX, []);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    if (!batch.replay) batch.ops.push({ op: 'createCollection', db, coll: name, options });
    this.event(batch, { kind: 'create', db, coll: name });
    return coll;
  }

  ensureColl(db: string, name: string, batch: Batch): Collection {
    return this.getColl(db, name) ?? this.createColl(db, name, {}, batch, false);
  }

  dropColl(db: string, name: string, batch: Batch): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    if (!batch.replay) batch.ops.push({ op: 'dropCollection', db, coll: name });
    this.event(batch, { kind: 'drop', db, coll: name });
    this.event(batch, { kind: 'invalidate', db, coll: name });
    return true;
  }

  dropDb(db: string, batch: Batch): void {
    const colls = this.dbs.get(db);
    if (!colls) return;
    for (const name of [...colls.keys()]) this.dropColl(db, name, { ...batch, ops: [] });
    this.dbs.delete(db);
    if (!batch.replay) batch.ops.push({ op: 'dropDatabase', db });
    this.event(batch, { kind: 'dropDatabase', db });
  }

  renameColl(fromDb: string, fromColl: string, toDb: string, toColl: string, dropTarget: boolean, batch: Batch): void {
    const coll = this.getColl(fromDb, fromColl);
    if (!coll) throw new MongoError(Codes.NamespaceNotFound, 'NamespaceNotFound', `Source collection ${fromDb}.${fromColl} does not exist`);
    if (this.getColl(toDb, toColl)) {
      if (!dropTarget) throw new MongoError(Codes.NamespaceExists, 'NamespaceExists', `Target collection ${toDb}.${toColl} already exists`);
      this.dropColl(toDb, toColl, { ...batch, ops: [] });
    }
    validateName(toDb, toColl);
    this.dbs.get(fromDb)!.delete(fromColl);
    if (this.dbs.get(fromDb)!.size === 0) this.dbs.delete(fromDb);
    coll.db = toDb;
    coll.name = toColl;
    let colls = this.dbs.get(toDb);
    if (!colls) this.dbs.set(toDb, (colls = new Map()));
    colls.set(toColl, coll);
    if (!batch.replay) batch.ops.push({ op: 'renameCollection', fromDb, fromColl, toDb, toColl });
    this.event(batch, { kind: 'rename', db: fromDb, coll: fromColl, to: { db: toDb, coll: toColl } });
    this.event(batch, { kind: 'invalidate', db: fromDb, coll: fromColl });
  }

  private remember(coll: Collection, rid: RecordId, seq: number, before: Buffer | null): void {
    if (this.openSnapshots === 0) return;
    const list = coll.history.get(rid);
    if (list) list.push({ seq, before });
    else coll.history.set(rid, [{ seq, before }]);
  }

  /** Drops before-images once no snapshot transaction is open. */
  releaseSnapshot(): void {
    this.openSnapshots = Math.max(0, this.openSnapshots - 1);
    if (this.openSnapshots > 0) return;
    for (const colls of this.dbs.values()) for (const c of colls.values()) { c.history.clear(); c.seqs.clear(); }
  }

  /** `idStart`/`idEnd`: see RecordStore.set (the `_id` element, moved first in the stored copy). */
  insertRec(coll: Collection, buf: Buffer, doc: Document, batch: Batch, idStart = -1, idEnd = -1): RecordId {
    // A duplicate _id is refused by the `_id_` index, which enforces uniqueness, before any change.
    const rid = coll.nextRid++;
    coll.indexes.insert(rid, doc);
    const seq = ++this.seq;
    this.remember(coll, rid, seq, null);
    coll.records.set(rid, buf, idStart, idEnd);
    if (this.openSnapshots > 0) coll.seqs.set(rid, seq);
    coll.dataSize += buf.length;
    // The journal and the event take the stored copy, never `buf`: it is often a view into a
    // whole request message, or a scratch area the next document overwrites (commands/write.ts).
    // The event needs no `_id`: change streams read it from the stored document.
    if (this.keepsOp(batch)) batch.ops.push({ op: 'put', db: coll.db, coll: coll.name, doc: coll.records.get(rid)! });
    this.docEvent(batch, coll, 'insert', rid, undefined, undefined);
    return rid;
  }

  replaceRec(coll: Collection, rid: RecordId, buf: Buffer, doc: Document, oldDoc: Document, batch: Batch, kind: 'update' | 'replace'): void {
    const before = coll.records.get(rid);
    if (!before) throw new Error(`record ${rid} missing in ${coll.ns}`);
    coll.indexes.update(rid, oldDoc, doc);
    const seq = ++this.seq;
    this.remember(coll, rid, seq, before);
    coll.dataSize += buf.length - before.length;
    coll.records.set(rid, buf);
    if (this.openSnapshots > 0) coll.seqs.set(rid, seq);
    if (this.keepsOp(batch)) batch.ops.push({ op: 'put', db: coll.db, coll: coll.name, doc: coll.records.get(rid)! });
    this.docEvent(batch, coll, kind, rid, doc._id, before);
  }

  deleteRec(coll: Collection, rid: RecordId, oldDoc: Document, batch: Batch): void {
    const rec = coll.records.get(rid);
    if (!rec) return;
    coll.indexes.remove(rid, oldDoc);
    const seq = ++this.seq;
    this.remember(coll, rid, seq, rec);
    coll.records.delete(rid);
    coll.seqs.delete(rid);
    coll.dataSize -= rec.length;
    if (this.keepsOp(batch)) batch.ops.push({ op: 'delete', db: coll.db, coll: coll.name, id: serialize({ _id: oldDoc._id }) });
    this.docEvent(batch, coll, 'delete', rid, oldDoc._id, rec);
  }
}

export function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) throw new MongoError(Codes.InvalidNamespace, 'InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.startsWith('.') || name.includes('\0')) {
    throw new MongoError(Codes.InvalidNamespace, 'InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
