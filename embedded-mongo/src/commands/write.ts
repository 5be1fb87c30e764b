/**
 * insert / update / delete: statement loops with MongoDB's ordered semantics and reply shapes.
 */
import { ObjectId, deserialize, type Document } from 'bson';
import { encode } from '../engine/values.js';
import { decodeFields, elementEnd, findId, moveIdFirst, pickFields } from '../engine/bson-bytes.js';
import { MongoError } from '../errors.js';
import type { Collection } from '../engine/collection.js';
import { Transaction } from '../engine/txn.js';
import { findMatches } from '../engine/query.js';
import { applyUpdate, idFirst, upsertDocument, validateUpdate } from '../engine/update.js';
import { TYPED, num, typedDoc } from '../engine/values.js';
import { collName, docsOf, type Ctx, type Handler } from './context.js';

export function writeError(index: number, e: unknown): Document {
  if (!(e instanceof MongoError)) throw e;
  const { errorLabels: _l, ...extra } = e.extra as Document;
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...extra };
}

/** Statement-level errors inside a transaction abort it, so they are raised as command errors. */
function statementFailed(ctx: Ctx, e: unknown): boolean {
  if (!(e instanceof MongoError) || ctx.store.inTxn || e.code === 112) throw e;
  return true;
}

function collFor(ctx: Ctx, name: string, create: boolean): Collection | undefined {
  const existing = ctx.server.catalog.getColl(ctx.db, name);
  if (existing || !create) return existing;
  if (ctx.store instanceof Transaction) return ctx.store.createCollection(ctx.db, name);
  return ctx.server.catalog.createColl(ctx.db, name, {}, ctx.batch, false);
}

const insert: Handler = (ctx) => {
  const name = collName(ctx, 'insert');
  const ordered = ctx.cmd.ordered !== false;
  const seq = ctx.sequences.get('documents');
  const raw = seq ?? docsOf(ctx, 'documents').map((d) => encode(d));
  const coll = collFor(ctx, name, true)!;
  // Outside transactions the stored bytes are all that is kept: decode only the fields the
  // indexes read (a transaction keeps the document until commit, when indexes may have changed).
  const keyFields = ctx.store.inTxn ? null : coll.indexes.keyFields?.() ?? null;
  const writeErrors: Document[] = [];
  const idSpan = { start: -1, end: -1 };
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    let buf = raw[i]!;
    let doc: Document | undefined;
    // The fast path leaves moving `_id` to the front to the record store, which does it in place
    // in its copy (the driver appends the `_id` it generates; MongoDB stores `_id` first).
    let idStart = -1;
    let idEnd = -1;
    if (keyFields) {
      doc = decodeFields(buf, keyFields, true, idSpan) ?? undefined;
      if (doc) {
        idStart = idSpan.start;
        idEnd = idSpan.end;
      } else if ((idStart = findId(buf)) >= 0) {
        // A field the fast decoder does not handle (sub-document, array...): decode just the fields.
        doc = deserialize(pickFields(buf, keyFields), TYPED);
        idEnd = elementEnd(buf, idStart);
      }
      // No _id: the general path adds one. Already first: nothing to move.
      if (idStart < 0) doc = undefined;
      if (idStart <= 4) idStart = idEnd = -1;
    }
    if (doc) {
      // fast path: buf and doc are ready
    } else if ((doc = deserialize(buf, TYPED))._id === undefined) {
      doc = { _id: new ObjectId(), ...doc };
      buf = encode(doc);
    } else if (Object.keys(doc)[0] !== '_id') {
      // MongoDB stores _id first (the driver appends the _id it generates).
      doc = idFirst(doc);
      buf = moveIdFirst(buf) ?? encode(doc);
    }
    // `buf` may be a view into the request message: the record store keeps its own copy.
    try {
      ctx.store.insert(coll, buf, doc, ctx.batch, idStart, idEnd);
      n++;
    } catch (e) {
      statementFailed(ctx, e);
      writeErrors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  ctx.server.counters.insert = (ctx.server.counters.insert ?? 0) + n;
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

export interface UpdateOutcome {
  n: number;
  nModified: number;
  upsertedId?: unknown;
  /** The document before / after the (last) change, for findAndModify. */
  before?: Document;
  after?: Document;
}

export function updateStatement(ctx: Ctx, coll: Collection | undefined, name: string, st: Document, sort?: Document): UpdateOutcome {
  const q = (st.q ?? {}) as Document;
  const multi = st.multi === true;
  const arrayFilters = st.arrayFilters as Document[] | undefined;
  validateUpdate(st.u);
  const found = findMatches(ctx.store, coll, { filter: q, limit: multi ? undefined : 1, sort, collation: st.collation as never, hint: st.hint });
  const out: UpdateOutcome = { n: 0, nModified: 0 };
  for (const m of found.matches) {
    const before = typedDoc(m.buf);
    const after = applyUpdate(before, st.u as Document, { arrayFilters, filter: q });
    out.n++;
    out.before = before;
    out.after = after;
    if (after === before) continue;
    const buf = encode(after);
    if (buf.equals(m.buf)) continue;
    const kind = Array.isArray(st.u) || Object.keys(st.u as Document)[0]?.startsWith('$') ? 'update' : 'replace';
    ctx.store.replace(coll!, m.rid, buf, after, before, ctx.batch, kind);
    out.nModified++;
  }
  if (out.n === 0 && st.upsert === true) {
    const doc = upsertDocument(q, st.u as Document, arrayFilters);
    const target = coll ?? collFor(ctx, name, true)!;
    ctx.store.insert(target, encode(doc), doc, ctx.batch);
    out.n = 1;
    out.upsertedId = doc._id;
    out.after = doc;
  }
  return out;
}

const update: Handler = (ctx) => {
  const name = collName(ctx, 'update');
  const ordered = ctx.cmd.ordered !== false;
  const stmts = docsOf(ctx, 'updates');
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      const r = updateStatement(ctx, ctx.server.catalog.getColl(ctx.db, name), name, stmts[i]!);
      n += r.n;
      nModified += r.nModified;
      if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
    } catch (e) {
      statementFailed(ctx, e);
      writeErrors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

export function deleteStatement(ctx: Ctx, coll: Collection | undefined, st: Document, sort?: Document): Document[] {
  const q = (st.q ?? {}) as Document;
  const limit = num(st.limit);
  const found = findMatches(ctx.store, coll, { filter: q, limit: limit === 1 ? 1 : undefined, sort, collation: st.collation as never, hint: st.hint });
  const removed: Document[] = [];
  for (const m of found.matches) {
    const doc = typedDoc(m.buf);
    ctx.store.remove(coll!, m.rid, doc, ctx.batch);
    removed.push(doc);
  }
  return removed;
}

const del: Handler = (ctx) => {
  const name = collName(ctx, 'delete');
  const ordered = ctx.cmd.ordered !== false;
  const stmts = docsOf(ctx, 'deletes');
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      n += deleteStatement(ctx, ctx.server.catalog.getColl(ctx.db, name), stmts[i]!).length;
    } catch (e) {
      statementFailed(ctx, e);
      writeErrors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

export const writeHandlers: Record<string, Handler> = { insert, update, delete: del };
