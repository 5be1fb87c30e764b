/**
 * Change streams over the in-memory oplog: collection, database and cluster scope, resume
 * tokens, `fullDocument: 'updateLookup'`, further pipeline stages, and awaiting getMore.
 */
import { Aggregator } from 'mingo';
import { type Document, type Timestamp } from 'bson';
import { encode } from '../engine/values.js';
import { Codes, MongoError } from '../errors.js';
import type { Catalog } from '../engine/catalog.js';
import type { CursorSource } from '../engine/cursors.js';
import type { OplogEvent } from '../engine/oplog.js';
import { fromView, toView, typedDoc } from '../engine/values.js';
import { cursorReply, type Ctx } from './context.js';
import { aggError } from './aggregate.js';

const token = (pos: number): Document => ({ _data: '82' + pos.toString(16).padStart(16, '0') });

function tokenPos(t: unknown): number {
  const data = (t as Document | undefined)?._data;
  if (typeof data !== 'string' || !/^82[0-9a-f]{16}$/.test(data)) {
    throw new MongoError(Codes.BadValue, 'BadValue', 'KeyString format error: unrecognised resume token');
  }
  return parseInt(data.slice(2), 16);
}

const isPlain = (v: unknown): v is Document => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

function diff(before: Document, after: Document, prefix: string, updated: Document, removed: string[]): void {
  for (const k of Object.keys(before)) if (!(k in after)) removed.push(prefix + k);
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    if (isPlain(v) && isPlain(old)) diff(old, v, `${prefix}${k}.`, updated, removed);
    else if (old === undefined || !encode({ v }).equals(encode({ v: old }))) updated[prefix + k] = v;
  }
}

interface Scope {
  db: string | null;
  coll: string | null;
}

class ChangeStreamSource implements CursorSource {
  tailable = true;
  private invalidated = false;
  private readonly pipeline: Aggregator | null;

  constructor(private readonly catalog: Catalog, private readonly scope: Scope, stages: Document[], private readonly fullDocument: string, private pos: number) {
    this.pipeline = stages.length ? new Aggregator(toView(stages) as Document[], {}) : null;
  }

  private inScope(e: OplogEvent): boolean {
    if (this.scope.db === null) return e.db !== 'admin' && e.db !== 'config' && e.db !== 'local';
    if (e.db !== this.scope.db) return false;
    if (this.scope.coll === null) return e.kind !== 'invalidate' || !e.coll;
    return e.coll === this.scope.coll || (e.kind === 'dropDatabase');
  }

  private shape(e: OplogEvent): Document | null {
    if (e.kind === 'create' || e.kind === 'createIndexes' || e.kind === 'dropIndexes') return null;
    const doc: Document = { _id: token(e.pos), operationType: e.kind, clusterTime: e.ts, wallTime: e.wallTime };
    if (e.kind === 'invalidate') return doc;
    doc.ns = e.coll ? { db: e.db, coll: e.coll } : { db: e.db };
    if (e.kind === 'rename') doc.to = e.to;
    if ((e.kind === 'insert' || e.kind === 'replace') && e.after) doc.fullDocument = typedDoc(e.after);
    // Insert events carry no `_id` (oplog.ts): it is the inserted document's.
    const id = e.id !== undefined ? e.id : e.kind === 'insert' ? (doc.fullDocument as Document | undefined)?._id : undefined;
    if (id !== undefined) doc.documentKey = { _id: id };
    if (e.kind === 'update' && e.before && e.after) {
      const updatedFields: Document = {};
      const removedFields: string[] = [];
      diff(typedDoc(e.before), typedDoc(e.after), '', updatedFields, removedFields);
      doc.updateDescription = { updatedFields, removedFields, truncatedArrays: [] };
      if (this.fullDocument === 'updateLookup') {
        const coll = this.catalog.getColl(e.db, e.coll!);
        const rid = coll?.ridOf(e.id);
        const buf = rid !== undefined ? coll!.records.get(rid) : undefined;
        doc.fullDocument = buf ? typedDoc(buf) : null;
      }
    }
    if (e.txn) { doc.txnNumber = e.txn.txnNumber; doc.lsid = e.txn.lsid; }
    return doc;
  }

  private collect(batchSize: number): Buffer[] {
    const out: Buffer[] = [];
    if (this.invalidated) return out;
    const oplog = this.catalog.oplog;
    // A stream that fell behind the bounded history must fail, never skip events silently.
    if (this.pos < oplog.firstPos - 1) throw historyLost();
    for (const e of oplog.eventsSince(this.pos)) {
      if (out.length >= batchSize) break;
      this.pos = e.pos;
      if (!this.inScope(e)) continue;
      let doc = this.shape(e);
      if (!doc) continue;
      if (this.pipeline) {
        let res: Document[];
        try { res = this.pipeline.run([toView(doc) as Document]) as Document[]; } catch (err) { throw aggError(err); }
        if (!res[0]) continue;
        doc = fromView(res[0], doc) as Document;
      }
      out.push(encode(doc));
      if (e.kind === 'invalidate' || (this.scope.coll && (e.kind === 'drop' || e.kind === 'rename') && false)) {
        this.invalidated = true;
        this.tailable = false;
        break;
      }
    }
    return out;
  }

  next(batchSize: number, maxAwaitMS: number): Buffer[] | Promise<Buffer[]> {
    const got = this.collect(batchSize);
    if (got.length || maxAwaitMS <= 0 || this.invalidated) return got;
    return this.catalog.oplog.wait(maxAwaitMS).then(() => this.collect(batchSize));
  }

  done(): boolean {
    return this.invalidated;
  }

  extra(): Document {
    return { postBatchResumeToken: token(this.pos) };
  }
}

function historyLost(): MongoError {
  return new MongoError(286, 'ChangeStreamHistoryLost', 'Resume of change stream was not possible, as the resume point may no longer be in the oplog.');
}

export function openChangeStream(ctx: Ctx, name: string | null, pipeline: Document[], cursorOpt: Document): Document | Promise<Document> {
  const spec = pipeline[0]!.$changeStream as Document;
  const fullDocument = String(spec.fullDocument ?? 'default');
  if (fullDocument === 'whenAvailable' || fullDocument === 'required' || spec.fullDocumentBeforeChange && spec.fullDocumentBeforeChange !== 'off') {
    throw new MongoError(Codes.NotImplemented, 'NotImplemented', `fullDocument '${fullDocument}' / pre-images are not supported by this server`);
  }
  let scope: Scope;
  if (spec.allChangesForCluster === true) {
    if (ctx.db !== 'admin') throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', '$changeStream with allChangesForCluster must run against the admin database');
    scope = { db: null, coll: null };
  } else scope = { db: ctx.db, coll: name };
  const oplog = ctx.server.catalog.oplog;
  let pos = oplog.lastPos;
  const resume = spec.resumeAfter ?? spec.startAfter;
  if (resume) {
    pos = tokenPos(resume);
    if (pos < oplog.firstPos - 1) throw historyLost();
  } else if (spec.startAtOperationTime) {
    pos = oplog.posAtTime(spec.startAtOperationTime as Timestamp);
  }
  for (const st of pipeline.slice(1)) {
    const op = Object.keys(st)[0];
    if (!['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$redact'].includes(op ?? '')) {
      throw new MongoError(Codes.IllegalOperation, 'IllegalOperation', `${op} is not permitted in a $changeStream pipeline`);
    }
  }
  const source = new ChangeStreamSource(ctx.server.catalog, scope, pipeline.slice(1), fullDocument, pos);
  return cursorReply(ctx, `${ctx.db}.${name ?? '$cmd.aggregate'}`, source, { batchSize: cursorOpt.batchSize ?? 0 });
}
