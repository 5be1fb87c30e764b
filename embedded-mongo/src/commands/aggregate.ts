/**
 * aggregate: leading `$match` goes through the planner, the rest runs in mingo over fresh
 * (unaliased) views; `$out`/`$merge` write back through the store; `$changeStream` opens a
 * change stream cursor.
 */
import { runAggregation, pipelineError } from '../engine/pipeline.js';
import { originBuffer, remember, restoreTypes, typedOrigin } from '../engine/origins.js';
import { type Document } from 'bson';
import { encode } from '../engine/values.js';
import { pickFields } from '../engine/bson-bytes.js';
import { Codes, MongoError } from '../errors.js';
import { ArraySource } from '../engine/cursors.js';
import { findMatches, mingoOptions } from '../engine/query.js';
import { equalityKey } from '../engine/ordering.js';
import { fromView, toView, typedDoc, viewDoc } from '../engine/values.js';
import { collName, cursorReply, type Ctx, type Handler } from './context.js';
import { openChangeStream } from './changestream.js';
import { copiedTypeHints } from '../engine/copied-types.js';

function scanView(ctx: Ctx, name: string): Document[] {
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  if (!coll) return [];
  const out: Document[] = [];
  for (const [, buf] of ctx.store.scan(coll, null)) out.push(remember(viewDoc(buf), buf));
  return out;
}

export const aggError = pipelineError;

const TEXT_SCORE = '__embeddedTextScore';

/** Rewrites `{ $meta: 'textScore' }` (in expressions and in `$sort`) to the hidden score field. */
function withTextScore(v: unknown, inSort = false): unknown {
  if (Array.isArray(v)) return v.map((x) => withTextScore(x));
  if (!v || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const o = v as Document;
  if (o.$meta === 'textScore') return inSort ? -1 : `$${TEXT_SCORE}`;
  const out: Document = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === '$sort' && x && typeof x === 'object') {
      const sort: Document = {};
      for (const [f, d] of Object.entries(x as Document)) {
        if (d && typeof d === 'object' && (d as Document).$meta === 'textScore') sort[TEXT_SCORE] = -1;
        else sort[f] = d;
      }
      out[k] = sort;
    } else out[k] = withTextScore(x);
  }
  return out;
}

/** Top-level fields an expression reads, or null when it may read the whole document. */
function referencedFields(expr: unknown): Set<string> | null {
  const out = new Set<string>(['_id']);
  let whole = false;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.startsWith('$$')) whole = true;
      else if (v.startsWith('$')) out.add(v.slice(1).split('.')[0]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$accumulator' || k === '$function' || k === '$where') whole = true;
        walk(x);
      }
    }
  };
  walk(expr);
  return whole ? null : out;
}

function scanFields(ctx: Ctx, name: string, fields: Set<string>): Document[] {
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  if (!coll) return [];
  const out: Document[] = [];
  for (const [, buf] of ctx.store.scan(coll, null)) {
    const picked = pickFields(buf, fields);
    out.push(remember(viewDoc(picked), picked));
  }
  return out;
}

const REGROUPING = new Set(['$group', '$bucket', '$bucketAuto', '$sortByCount', '$count', '$facet', '$replaceRoot', '$replaceWith', '$unionWith', '$documents', '$setWindowFields']);
const keepsIdentity = (pipeline: Document[]) => pipeline.every((st) => !REGROUPING.has(Object.keys(st)[0] ?? ''));

function sourceById(source: Document[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const v of source) {
    const buf = originBuffer(v);
    if (buf && v._id !== undefined) m.set(equalityKey(v._id), buf);
  }
  return m;
}

export function runPipeline(ctx: Ctx, name: string | null, pipeline: Document[]): { results: Document[]; source: Document[] } {
  let stages = pipeline;
  let source: Document[];
  const first = stages[0];
  if (name === null) source = [];
  else if (first && first.$match && !JSON.stringify(toView(first.$match)).includes('"$where"')) {
    const coll = ctx.server.catalog.getColl(ctx.db, name);
    const found = findMatches(ctx.store, coll, { filter: first.$match as Document, collation: ctx.cmd.collation as never });
    // Views are fresh deserialisations, so mingo may mutate them freely.
    source = found.matches.map((m) => remember(viewDoc(m.buf), m.buf));
    stages = stages.slice(1);
    if ((first.$match as Document).$text) {
      found.matches.forEach((m, i) => { source[i]![TEXT_SCORE] = m.score ?? 0; });
      stages = [...(withTextScore(stages) as Document[]), { $unset: TEXT_SCORE }];
    }
  } else if (name !== null && first?.$group && !ctx.store.inTxn) {
    // A leading $group only needs the fields it references: decode just those.
    const fields = referencedFields(first.$group);
    source = fields ? scanFields(ctx, name, fields) : scanView(ctx, name);
  } else source = name === null ? [] : scanView(ctx, name);
  const opts = { ...mingoOptions(ctx.cmd.collation as never), collectionResolver: (n: string) => scanView(ctx, n), variables: ctx.cmd.let ? (toView(ctx.cmd.let) as Document) : undefined };
  return { results: runAggregation(source, toView(stages) as Document[], opts), source };
}

function writeOut(ctx: Ctx, stage: Document, results: Document[]): void {
  const cat = ctx.server.catalog;
  if (stage.$out !== undefined) {
    const target = typeof stage.$out === 'string' ? { db: ctx.db, coll: stage.$out } : (stage.$out as { db: string; coll: string });
    cat.dropColl(target.db, target.coll, ctx.batch);
    const coll = cat.createColl(target.db, target.coll, {}, ctx.batch, false);
    for (const r of results) {
      const doc = fromView(r, undefined) as Document;
      ctx.store.insert(coll, encode(doc), doc, ctx.batch);
    }
    return;
  }
  const spec = (typeof stage.$merge === 'string' ? { into: stage.$merge } : stage.$merge) as Document;
  const into = typeof spec.into === 'string' ? { db: ctx.db, coll: spec.into } : (spec.into as { db: string; coll: string });
  const coll = cat.ensureColl(into.db, into.coll, ctx.batch);
  const on = spec.on === undefined ? ['_id'] : ([] as string[]).concat(spec.on as string);
  const whenMatched = (spec.whenMatched ?? 'merge') as string;
  const whenNotMatched = (spec.whenNotMatched ?? 'insert') as string;
  for (const r of results) {
    const doc = fromView(r, undefined) as Document;
    const filter: Document = {};
    for (const f of on) filter[f] = doc[f];
    const existing = findMatches(ctx.store, coll, { filter, limit: 1 }).matches[0];
    if (existing) {
      const before = typedDoc(existing.buf);
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail') throw new MongoError(Codes.DuplicateKey, 'DuplicateKey', `$merge found an existing document with ${JSON.stringify(filter)}`);
      const after = whenMatched === 'replace' ? { ...doc, _id: before._id } : { ...before, ...doc, _id: before._id };
      if (equalityKey(after) !== equalityKey(before)) ctx.store.replace(coll, existing.rid, encode(after), after, before, ctx.batch, 'replace');
    } else if (whenNotMatched === 'insert') {
      ctx.store.insert(coll, encode(doc), doc, ctx.batch);
    } else if (whenNotMatched === 'fail') {
      throw new MongoError(13113, 'MergeStageNoMatchingDocument', `$merge could not find a matching document for ${JSON.stringify(filter)}`);
    }
  }
}

const aggregate: Handler = (ctx) => {
  const target = ctx.cmd.aggregate;
  const name = typeof target === 'string' ? collName(ctx, 'aggregate') : null;
  const pipeline = ctx.cmd.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw new MongoError(Codes.TypeMismatch, 'TypeMismatch', "'pipeline' option must be specified as an array");
  const cursorOpt = (ctx.cmd.cursor ?? {}) as Document;
  if (pipeline[0]?.$changeStream) return openChangeStream(ctx, name, pipeline, cursorOpt);
  const last = pipeline[pipeline.length - 1];
  const writes = last && (last.$out !== undefined || last.$merge !== undefined);
  const { results, source } = runPipeline(ctx, name, writes ? pipeline.slice(0, -1) : pipeline);
  if (writes) {
    writeOut(ctx, last, results);
    return cursorReply(ctx, `${ctx.db}.${name ?? '$cmd.aggregate'}`, new ArraySource([]), {});
  }
  // Numbers get their stored BSON types back where the output can be traced to a stored document.
  const byId = keepsIdentity(pipeline) ? sourceById(source) : undefined;
  const copied = copiedTypeHints(pipeline, source);
  const docs = results.map((d) => {
    const sameId = byId && d._id !== undefined ? byId.get(equalityKey(d._id)) : undefined;
    let hint = typedOrigin(d) ?? (sameId ? typedDoc(sameId) : undefined);
    if (copied) hint = hint ? { ...hint, ...copied } : copied;
    return encode(restoreTypes(d, hint, copied !== undefined) as Document);
  });
  return cursorReply(ctx, `${ctx.db}.${name ?? '$cmd.aggregate'}`, new ArraySource(docs), { batchSize: cursorOpt.batchSize });
};

export const aggregateHandlers: Record<string, Handler> = { aggregate };
