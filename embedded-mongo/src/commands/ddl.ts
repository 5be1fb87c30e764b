/**
 * Namespace and index commands: create, drop, dropDatabase, renameCollection, listCollections,
 * listDatabases, createIndexes, listIndexes, dropIndexes, collMod, dbStats, collStats.
 */
import { Query } from 'mingo';
import { Binary, type Document } from 'bson';
import type { IndexSpec } from '../contracts.js';
import type { IndexSetExt } from '../indexes/index.js';
import { Codes, MongoError } from '../errors.js';
import type { Collection } from '../engine/collection.js';
import { ArraySource } from '../engine/cursors.js';
import { toView, typedDoc } from '../engine/values.js';
import { collName, cursorReply, toBuf, type Ctx, type Handler } from './context.js';

function requireColl(ctx: Ctx, name: string): Collection {
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  if (!coll) throw new MongoError(Codes.NamespaceNotFound, 'NamespaceNotFound', `ns not found: ${ctx.db}.${name}`);
  return coll;
}

function notInTxn(ctx: Ctx, what: string): void {
  if (ctx.store.inTxn && !['create', 'createIndexes'].includes(what)) {
    throw new MongoError(Codes.OperationNotSupportedInTransaction, 'OperationNotSupportedInTransaction', `Cannot run '${what}' in a multi-document transaction.`);
  }
}

const create: Handler = (ctx) => {
  const name = collName(ctx, 'create');
  const { create: _c, $db: _d, lsid: _l, $clusterTime: _t, txnNumber: _n, autocommit: _a, startTransaction: _s, writeConcern: _w, ...options } = ctx.cmd;
  if (options.collation) options.collation = toView(options.collation);
  if (options.viewOn !== undefined) throw new MongoError(Codes.NotImplemented, 'NotImplemented', 'views (create with viewOn) are not supported by this server');
  ctx.server.catalog.createColl(ctx.db, name, options, ctx.batch);
  return { ok: 1 };
};

const drop: Handler = (ctx) => {
  notInTxn(ctx, 'drop');
  const name = collName(ctx, 'drop');
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  if (!coll) return { ok: 1 }; // MongoDB 7: dropping a missing collection succeeds
  const nIndexesWas = coll.indexes.list().length;
  ctx.server.catalog.dropColl(ctx.db, name, ctx.batch);
  return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
};

const dropDatabase: Handler = (ctx) => {
  notInTxn(ctx, 'dropDatabase');
  ctx.server.catalog.dropDb(ctx.db, ctx.batch);
  return { dropped: ctx.db, ok: 1 };
};

const renameCollection: Handler = (ctx) => {
  notInTxn(ctx, 'renameCollection');
  const from = String(ctx.cmd.renameCollection);
  const to = String(ctx.cmd.to);
  const split = (ns: string): [string, string] => {
    const i = ns.indexOf('.');
    if (i <= 0) throw new MongoError(Codes.InvalidNamespace, 'InvalidNamespace', `Invalid namespace specified '${ns}'`);
    return [ns.slice(0, i), ns.slice(i + 1)];
  };
  const [fdb, fcoll] = split(from);
  const [tdb, tcoll] = split(to);
  ctx.server.catalog.renameColl(fdb, fcoll, tdb, tcoll, ctx.cmd.dropTarget === true, ctx.batch);
  return { ok: 1 };
};

function collInfo(coll: Collection): Document {
  return {
    name: coll.name,
    type: 'collection',
    options: coll.options,
    info: { readOnly: false, uuid: new Binary(Buffer.from(coll.ns.padEnd(16, '\0').slice(0, 16)), 4) },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: Handler = (ctx) => {
  const colls = [...(ctx.server.catalog.dbs.get(ctx.db)?.values() ?? [])];
  const filter = (ctx.cmd.filter ?? {}) as Document;
  const q = new Query(toView(filter) as Document, {});
  const nameOnly = ctx.cmd.nameOnly === true;
  const docs = colls
    .map(collInfo)
    .filter((d) => q.test(d))
    .map((d) => toBuf(nameOnly ? { name: d.name, type: d.type } : d));
  const cursor = (ctx.cmd.cursor ?? {}) as Document;
  return cursorReply(ctx, `${ctx.db}.$cmd.listCollections`, new ArraySource(docs), { batchSize: cursor.batchSize });
};

function collSize(coll: Collection): number {
  return coll.dataSize;
}

const listDatabases: Handler = (ctx) => {
  const dbs = [...ctx.server.catalog.dbs.entries()].map(([name, colls]) => {
    let size = 0;
    for (const c of colls.values()) size += collSize(c);
    return { name, sizeOnDisk: size, empty: size === 0 };
  });
  const filter = (ctx.cmd.filter ?? {}) as Document;
  const q = new Query(toView(filter) as Document, {});
  const shown = dbs.filter((d) => q.test(d));
  if (ctx.cmd.nameOnly === true) return { databases: shown.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: shown, totalSize: shown.reduce((a, d) => a + d.sizeOnDisk, 0), totalSizeMb: 0, ok: 1 };
};

export function normaliseSpec(raw: Document): IndexSpec {
  const spec = toView(raw) as IndexSpec;
  if (!spec.key || typeof spec.key !== 'object' || Object.keys(spec.key).length === 0) {
    throw new MongoError(Codes.BadValue, 'BadValue', 'Index key pattern must be a non-empty object');
  }
  if (!spec.name) {
    spec.name = Object.entries(spec.key).map(([k, v]) => `${k}_${v}`).join('_');
  }
  return { v: 2, ...spec };
}

/** Builds an index over the collection; false when an identical one already existed. */
export function buildIndex(coll: Collection, spec: IndexSpec): boolean {
  const records = function* (): Iterable<[number, Document]> {
    for (const [rid, buf] of coll.records) yield [rid, typedDoc(buf)];
  };
  if (!spec.collation && coll.options.collation) spec = { ...spec, collation: coll.options.collation as never };
  return ext(coll).create(spec, records()) !== false;
}

const ext = (coll: Collection) => coll.indexes as IndexSetExt;

const createIndexes: Handler = (ctx) => {
  const name = collName(ctx, 'createIndexes');
  const specs = ((ctx.cmd.indexes ?? []) as Document[]).map(normaliseSpec);
  const existed = !!ctx.server.catalog.getColl(ctx.db, name);
  const coll = ctx.server.catalog.ensureColl(ctx.db, name, ctx.batch);
  const before = coll.indexes.list().length;
  for (const spec of specs) {
    if (!buildIndex(coll, spec)) continue; // an identical index already exists
    ctx.batch.ops.push({ op: 'createIndex', db: ctx.db, coll: name, spec });
  }
  const after = coll.indexes.list().length;
  const reply: Document = { createdCollectionAutomatically: !existed, numIndexesBefore: before, numIndexesAfter: after, ok: 1 };
  if (before === after) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: Handler = (ctx) => {
  const name = collName(ctx, 'listIndexes');
  const coll = requireColl(ctx, name);
  const docs = coll.indexes.list().map((s) => toBuf({ ...s }));
  const cursor = (ctx.cmd.cursor ?? {}) as Document;
  return cursorReply(ctx, `${ctx.db}.${name}`, new ArraySource(docs), { batchSize: cursor.batchSize });
};

function indexNamesFor(coll: Collection, index: unknown): string[] {
  const specs = coll.indexes.list();
  if (index === '*') return specs.filter((s) => s.name !== '_id_').map((s) => s.name);
  if (typeof index === 'string') return [index];
  if (Array.isArray(index)) return index.map(String);
  if (index && typeof index === 'object') {
    const found = ext(coll).findByKey(index as Document);
    if (!found) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `can't find index with key: ${JSON.stringify(toView(index))}`);
    return [found];
  }
  throw new MongoError(Codes.BadValue, 'BadValue', 'invalid index specification');
}

const dropIndexes: Handler = (ctx) => {
  notInTxn(ctx, 'dropIndexes');
  const name = collName(ctx, 'dropIndexes');
  const coll = requireColl(ctx, name);
  const nIndexesWas = coll.indexes.list().length;
  for (const idx of indexNamesFor(coll, ctx.cmd.index)) {
    if (idx === '_id_') throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.list().some((s) => s.name === idx)) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `index not found with name [${idx}]`);
    coll.indexes.drop(idx);
    ctx.batch.ops.push({ op: 'dropIndex', db: ctx.db, coll: name, name: idx });
  }
  return { nIndexesWas, ok: 1 };
};

const collMod: Handler = (ctx) => {
  notInTxn(ctx, 'collMod');
  const name = collName(ctx, 'collMod');
  const coll = requireColl(ctx, name);
  const reply: Document = { ok: 1 };
  const index = ctx.cmd.index as Document | undefined;
  if (index) {
    const target = (index.name as string | undefined) ?? (index.keyPattern as Document);
    const old = coll.indexes.list().find((s) => s.name === index.name || (index.keyPattern && s.name === ext(coll).findByKey(index.keyPattern as Document)));
    if (!old) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `cannot find index ${JSON.stringify(toView(index))}`);
    const changes: { expireAfterSeconds?: number; hidden?: boolean } = {};
    if (index.expireAfterSeconds !== undefined) changes.expireAfterSeconds = Number(toView(index.expireAfterSeconds));
    if (index.hidden !== undefined) changes.hidden = index.hidden === true;
    const next = ext(coll).modify(target, changes);
    if (changes.expireAfterSeconds !== undefined) {
      reply.expireAfterSeconds_old = old.expireAfterSeconds;
      reply.expireAfterSeconds_new = next.expireAfterSeconds;
    }
    if (changes.hidden !== undefined) { reply.hidden_old = old.hidden ?? false; reply.hidden_new = changes.hidden; }
    ctx.batch.ops.push({ op: 'dropIndex', db: ctx.db, coll: name, name: old.name }, { op: 'createIndex', db: ctx.db, coll: name, spec: next });
  }
  const opts: Document = {};
  for (const k of ['validator', 'validationLevel', 'validationAction', 'changeStreamPreAndPostImages']) if (k in ctx.cmd) opts[k] = ctx.cmd[k];
  if (Object.keys(opts).length) {
    coll.options = { ...coll.options, ...opts };
    ctx.batch.ops.push({ op: 'collMod', db: ctx.db, coll: name, options: opts });
  }
  return reply;
};

function stats(coll: Collection): Document {
  const count = coll.records.size;
  const size = collSize(coll);
  const indexes = coll.indexes.list();
  const indexSizes: Document = {};
  for (const s of indexes) indexSizes[s.name] = count * 32;
  return {
    ns: coll.ns, count, size, avgObjSize: count ? Math.round(size / count) : 0, storageSize: size,
    totalIndexSize: count * 32 * indexes.length, totalSize: size + count * 32 * indexes.length,
    nindexes: indexes.length, indexSizes, capped: false, ok: 1,
  };
}

const collStats: Handler = (ctx) => {
  const name = collName(ctx, 'collStats');
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  if (!coll) return { ns: `${ctx.db}.${name}`, count: 0, size: 0, storageSize: 0, nindexes: 0, totalIndexSize: 0, indexSizes: {}, ok: 1 };
  return stats(coll);
};

const dbStats: Handler = (ctx) => {
  const colls = [...(ctx.server.catalog.dbs.get(ctx.db)?.values() ?? [])].map(stats);
  const objects = colls.reduce((a, s) => a + s.count, 0);
  const dataSize = colls.reduce((a, s) => a + s.size, 0);
  return {
    db: ctx.db, collections: colls.length, views: 0, objects, avgObjSize: objects ? dataSize / objects : 0,
    dataSize, storageSize: dataSize, indexes: colls.reduce((a, s) => a + s.nindexes, 0),
    indexSize: colls.reduce((a, s) => a + s.totalIndexSize, 0), totalSize: dataSize, scaleFactor: 1, fsUsedSize: 0, fsTotalSize: 0, ok: 1,
  };
};

export const ddlHandlers: Record<string, Handler> = {
  create,
  drop,
  dropdatabase: dropDatabase,
  renamecollection: renameCollection,
  listcollections: listCollections,
  listdatabases: listDatabases,
  createindexes: createIndexes,
  listindexes: listIndexes,
  dropindexes: dropIndexes,
  deleteindexes: dropIndexes,
  collmod: collMod,
  collstats: collStats,
  dbstats: dbStats,
  validate: (ctx) => ({ ns: `${ctx.db}.${collName(ctx, 'validate')}`, valid: true, errors: [], warnings: [], ok: 1 }),
};
