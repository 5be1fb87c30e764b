/**
 * find, getMore, killCursors, count, distinct, findAndModify.
 */
import { Long, type Document } from 'bson';
import { encode } from '../engine/values.js';
import { Codes, MongoError } from '../errors.js';
import { ArraySource } from '../engine/cursors.js';
import { findMatches, project } from '../engine/query.js';
import { equalityKey } from '../engine/ordering.js';
import { num, typedDoc, valuesAt } from '../engine/values.js';
import { RawDocs } from '../wire/encode.js';
import { collName, cursorReply, toBuf, type Ctx, type Handler } from './context.js';
import { deleteStatement, updateStatement } from './write.js';

const find: Handler = (ctx) => {
  const name = collName(ctx, 'find');
  const c = ctx.cmd;
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  let limit = num(c.limit);
  let singleBatch = c.singleBatch === true;
  if (limit < 0) { limit = -limit; singleBatch = true; }
  const filter = (c.filter ?? {}) as Document;
  const found = findMatches(ctx.store, coll, { filter, sort: c.sort as Document, skip: num(c.skip), limit: limit || undefined, collation: c.collation as never, hint: c.hint });
  const projection = c.projection as Document | undefined;
  const docs = found.matches.map((m) => toBuf(project(m, projection, filter)));
  ctx.server.counters.query = (ctx.server.counters.query ?? 0) + 1;
  return cursorReply(ctx, `${ctx.db}.${name}`, new ArraySource(docs), { batchSize: c.batchSize, singleBatch, limit });
};

const getMore: Handler = (ctx) => {
  const id = ctx.cmd.getMore as Long;
  const name = collName(ctx, 'collection');
  const cursor = ctx.server.cursors.get(id);
  if (!cursor) throw new MongoError(Codes.CursorNotFound, 'CursorNotFound', `cursor id ${String(id)} not found`);
  if (cursor.ns !== `${ctx.db}.${name}` && !cursor.source.tailable) {
    throw new MongoError(13, 'Unauthorized', `Requested getMore on namespace '${ctx.db}.${name}', but cursor belongs to a different namespace ${cursor.ns}`);
  }
  cursor.lastUse = Date.now();
  const size = Math.min(ctx.cmd.batchSize !== undefined ? num(ctx.cmd.batchSize) || 1e9 : 1e9, cursor.remaining);
  const finish = (batch: Buffer[]): Document => {
    cursor.remaining -= batch.length;
    cursor.lastUse = Date.now();
    let outId = cursor.id;
    if (!cursor.source.tailable && (cursor.source.done() || cursor.remaining <= 0)) {
      ctx.server.cursors.kill(cursor.id);
      outId = Long.ZERO;
    }
    return { cursor: { nextBatch: new RawDocs(batch), id: outId, ns: cursor.ns, ...cursor.source.extra?.() }, ok: 1 };
  };
  const got = cursor.source.next(size, num(ctx.cmd.maxTimeMS, 1000));
  return got instanceof Promise ? got.then(finish) : finish(got);
};

const killCursors: Handler = (ctx) => {
  const ids = (ctx.cmd.cursors ?? []) as Long[];
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const id of ids) (ctx.server.cursors.kill(id) ? killed : notFound).push(id);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: Handler = (ctx) => {
  const name = collName(ctx, 'count');
  const c = ctx.cmd;
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  const query = (c.query ?? {}) as Document;
  let n: number;
  if (coll && Object.keys(query).length === 0 && !ctx.store.inTxn) n = coll.records.size;
  else n = findMatches(ctx.store, coll, { filter: query, collation: c.collation as never, hint: c.hint }).matches.length;
  n = Math.max(0, n - num(c.skip));
  if (num(c.limit)) n = Math.min(n, Math.abs(num(c.limit)));
  return { n, ok: 1 };
};

const distinct: Handler = (ctx) => {
  const name = collName(ctx, 'distinct');
  const key = ctx.cmd.key;
  if (typeof key !== 'string') throw new MongoError(Codes.TypeMismatch, 'TypeMismatch', "BSON field 'distinct.key' is missing but a required field");
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  const found = findMatches(ctx.store, coll, { filter: (ctx.cmd.query ?? {}) as Document, collation: ctx.cmd.collation as never });
  const seen = new Map<string, unknown>();
  for (const m of found.matches) {
    for (const v of valuesAt(typedDoc(m.buf), key.split('.'))) {
      for (const x of Array.isArray(v) ? v : [v]) {
        const k = equalityKey(x, ctx.cmd.collation as never);
        if (!seen.has(k)) seen.set(k, x);
      }
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const findAndModify: Handler = (ctx) => {
  const name = collName(ctx, Object.keys(ctx.cmd)[0]!);
  const c = ctx.cmd;
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  const query = (c.query ?? {}) as Document;
  const fields = c.fields as Document | undefined;
  const shape = (d: Document | undefined): Document | null => {
    if (!d) return null;
    if (!fields || Object.keys(fields).length === 0) return d;
    return project({ rid: 0, buf: encode(d) }, fields, query) as Document;
  };
  if (c.remove === true) {
    if (c.update !== undefined) throw new MongoError(Codes.FailedToParse, 'FailedToParse', 'Cannot specify both an update and remove=true');
    const removed = deleteStatement(ctx, coll, { q: query, limit: 1, collation: c.collation }, c.sort as Document);
    return { lastErrorObject: { n: removed.length }, value: shape(removed[0]), ok: 1 };
  }
  if (c.update === undefined) throw new MongoError(Codes.FailedToParse, 'FailedToParse', 'Either an update or remove=true must be specified');
  const r = updateStatement(ctx, coll, name, { q: query, u: c.update, upsert: c.upsert === true, arrayFilters: c.arrayFilters, collation: c.collation }, c.sort as Document);
  const lastErrorObject: Document = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
  if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
  const value = c.new === true ? r.after : r.upsertedId !== undefined ? undefined : r.before;
  return { lastErrorObject, value: shape(value), ok: 1 };
};

export const readHandlers: Record<string, Handler> = {
  find,
  getmore: getMore,
  killcursors: killCursors,
  count,
  distinct,
  findandmodify: findAndModify,
};
