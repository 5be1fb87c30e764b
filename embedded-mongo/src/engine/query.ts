/**
 * Finding matching records: the `_id` fast path, index plans (always re-checked with mingo),
 * `$text`, BSON-order sorting, skip/limit and projection.
 */
import { Query as BaseQuery } from 'mingo/query';
import type { Document } from 'bson';
import type { Collation, Plan, RecordId } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';
import type { Collection } from './collection.js';
import { compareValues } from './ordering.js';
import type { Store } from './store.js';
import { toView, typedDoc, valuesAt } from './values.js';
import { typedContext, typedQuery } from './mingo-context.js';
import { compileTypedFilter, filterFields } from './filter.js';
import { decodeFields, pickFields } from './bson-bytes.js';

export interface FindSpec {
  filter: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  collation?: Collation;
  hint?: unknown;
}

export interface Match {
  rid: RecordId;
  buf: Buffer;
  /** The typed document, when it had to be decoded (filter or sort). */
  view?: Document;
  score?: number;
}

export interface FindResult {
  matches: Match[];
  plan: Plan;
  docsExamined: number;
}

export function mingoOptions(collation?: Collation): Record<string, unknown> {
  return collation ? { collation } : {};
}

export function compileFilter(filter: Document, collation?: Collation): (doc: Document) => boolean {
  const keys = Object.keys(filter);
  if (keys.length === 0) return () => true;
  try {
    return compileTypedFilter(filter, collation);
  } catch (e) {
    throw badQuery(e);
  }
}

export function badQuery(e: unknown): MongoError {
  if (e instanceof MongoError) return e;
  const msg = (e as Error).message ?? String(e);
  const m = /unknown (?:query |top level )?operator:? ?'?(\$\w+)/i.exec(msg);
  if (m) return new MongoError(Codes.BadValue, 'BadValue', `unknown operator: ${m[1]}`);
  return new MongoError(Codes.BadValue, 'BadValue', msg);
}

/** `{_id: <scalar>}` or `{_id: {$eq: v}}` => equality key for the direct lookup. */
/** The `_id` value of an `_id` equality filter (boxed, since the value itself may be null). */
function idEquality(filter: Document): { id: unknown } | undefined {
  if (!('_id' in filter)) return undefined;
  const v = filter._id;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$eq') return { id: v.$eq };
    if (keys.some((k) => k.startsWith('$'))) return undefined;
    return { id: v };
  }
  if (v instanceof RegExp) return undefined;
  return { id: v };
}

function sortKey(doc: Document, path: string, dir: number): unknown {
  const vals = valuesAt(doc, path.split('.'));
  if (vals.length === 0) return null;
  const flat = vals.flatMap((v) => (Array.isArray(v) ? (v.length ? v : [undefined]) : [v]));
  let best = flat[0];
  for (const v of flat) if (dir * compareValues(v, best) < 0) best = v;
  return best;
}

/** Compares documents by a sort spec in BSON order (arrays sort by their min / max element). */
export function docComparator(sort: Document, collation?: Collation, score?: (d: Document) => number): (a: Document, b: Document) => number {
  const fields = Object.entries(sort).map(([path, d]) => {
    const meta = !!d && typeof d === 'object' && (d as Document).$meta === 'textScore';
    return { path, dir: meta ? -1 : Number(toView(d)) < 0 ? -1 : 1, meta };
  });
  const keys = new Map<Document, unknown[]>();
  const keyOf = (doc: Document) => {
    let k = keys.get(doc);
    if (!k) keys.set(doc, (k = fields.map((f) => (f.meta ? score?.(doc) ?? 0 : sortKey(doc, f.path, f.dir)))));
    return k;
  };
  return (a, b) => {
    const ka = keyOf(a), kb = keyOf(b);
    for (let i = 0; i < fields.length; i++) {
      const c = compareValues(ka[i], kb[i], collation);
      if (c) return c * fields[i]!.dir;
    }
    return 0;
  };
}

export function sortMatches(matches: Match[], sort: Document, collation?: Collation): void {
  if ('$natural' in sort) {
    // Insertion order: record ids grow with every insert.
    const dir = Number(toView(sort.$natural)) < 0 ? -1 : 1;
    matches.sort((a, b) => (a.rid - b.rid) * dir);
    return;
  }
  for (const m of matches) m.view ??= typedDoc(m.buf);
  const scores = new Map<Document, number>(matches.map((m) => [m.view!, m.score ?? 0]));
  const cmp = docComparator(sort, collation, (d) => scores.get(d) ?? 0);
  matches.sort((a, b) => cmp(a.view!, b.view!));
}

export function findMatches(store: Store, coll: Collection | undefined, spec: FindSpec): FindResult {
  const empty: FindResult = { matches: [], plan: { indexName: null, candidates: null, providesSort: false, stage: 'EOF' }, docsExamined: 0 };
  if (!coll) {
    compileFilter(spec.filter ?? {}); // still report bad filters (unknown operators) like MongoDB
    return empty;
  }
  // Collations arrive with Int32 strengths; bson-order wants plain numbers.
  const collation = spec.collation ?? (coll.options.collation as Collation | undefined);
  if (collation) spec = { ...spec, collation: toView(collation) as Collation };
  let filter = spec.filter ?? {};
  let scores: Map<RecordId, number> | undefined;
  if (filter.$text) {
    const { $text, ...rest } = filter;
    scores = coll.indexes.textSearch(toView($text) as never);
    filter = rest;
  }
  const test = compileFilter(filter, spec.collation);
  // A simple filter is tested on just the fields it reads (decoding ~500-byte documents whole
  // was most of an indexed query's work); the partial document is never kept.
  const fields = Object.keys(filter).length ? filterFields(filter) : null;
  const bound = spec.limit ? (spec.skip ?? 0) + spec.limit : undefined;
  let plan: Plan;
  let candidates: Iterable<RecordId> | null;
  const idKey = scores ? undefined : idEquality(filter);
  if (idKey !== undefined) {
    const rid = store.ridForId(coll, idKey.id);
    plan = { indexName: '_id_', candidates: null, providesSort: true, stage: 'IDHACK' };
    candidates = rid === undefined ? [] : [rid];
  } else if (scores) {
    plan = { indexName: 'text', candidates: scores.keys(), providesSort: false, stage: 'TEXT_MATCH' };
    candidates = scores.keys();
  } else {
    plan = coll.indexes.plan({ filter, sort: spec.sort, hint: spec.hint as never, collation: spec.collation, limit: bound });
    candidates = plan.candidates;
  }
  const hasSort = !!spec.sort && Object.keys(spec.sort).length > 0;
  const stopEarly = bound !== undefined && (!hasSort || plan.providesSort);
  const matches: Match[] = [];
  let docsExamined = 0;
  for (const [rid, buf] of store.scan(coll, candidates)) {
    docsExamined++;
    let view: Document | undefined;
    if (fields) {
      if (!test(decodeFields(buf, fields) ?? typedDoc(pickFields(buf, fields)))) continue;
    } else if (Object.keys(filter).length) {
      view = typedDoc(buf);
      if (!test(view)) continue;
    }
    matches.push({ rid, buf, view, score: scores?.get(rid) });
    if (stopEarly && matches.length >= bound!) break;
  }
  if (hasSort && !plan.providesSort) sortMatches(matches, spec.sort!, spec.collation);
  else if (scores && !hasSort) { /* MongoDB returns text results unsorted; keep scan order */ }
  const skip = spec.skip ?? 0;
  const sliced = skip || bound !== undefined ? matches.slice(skip, bound) : matches;
  return { matches: sliced, plan, docsExamined };
}

/** Projects one stored document; keeps BSON types (projection runs on the typed document). */
export function project(m: Match, projection: Document | undefined, filter: Document): Document | Buffer {
  if (!projection || Object.keys(projection).length === 0) return m.buf;
  const metas: string[] = [];
  const slices: [string, unknown][] = [];
  const elemMatches: [string, Document][] = [];
  const proj: Document = {};
  for (const [k, v] of Object.entries(projection)) {
    if (v && typeof v === 'object' && (v as Document).$meta) metas.push(k);
    else if (v && typeof v === 'object' && '$slice' in (v as Document)) slices.push([k, (v as Document).$slice]);
    else if (v && typeof v === 'object' && '$elemMatch' in (v as Document)) elemMatches.push([k, (v as Document).$elemMatch as Document]);
    else proj[k] = v;
  }
  // $elemMatch is an inclusion; the first matching element is picked below with our own (typed)
  // query operators, which also accept operator-only conditions on scalars ({ $eq: 5 }).
  const inclusive = elemMatches.length > 0 || Object.entries(proj).some(([k, v]) => k !== '_id' && (typeof v === 'object' || Number(toView(v)) !== 0));
  // $slice is neither inclusion nor exclusion: with other inclusions the sliced field is included.
  if (inclusive) for (const [k] of slices) proj[k] = 1;
  for (const [k] of elemMatches) proj[k] = 1;
  let out: Document;
  const stored = typedDoc(m.buf);
  const positional = Object.keys(proj).some((k) => k.endsWith('.$'));
  if (Object.keys(proj).length === 0) out = stored;
  else {
    try {
      out = new BaseQuery(positional ? filter : {}, { context: typedContext } as never).find([stored], toView(proj) as Document).next() as Document;
    } catch (e) {
      throw badQuery(e);
    }
  }
  for (const [k, spec] of slices) {
    const arr = out[k];
    if (!Array.isArray(arr)) continue;
    const sv = toView(spec);
    if (Array.isArray(sv)) {
      const [skip, n] = sv as number[];
      const start = skip! < 0 ? Math.max(0, arr.length + skip!) : skip!;
      out[k] = arr.slice(start, start + n!);
    } else {
      const n = Number(sv);
      out[k] = n >= 0 ? arr.slice(0, n) : arr.slice(n);
    }
  }
  for (const [k, cond] of elemMatches) {
    const arr = out[k];
    delete out[k];
    if (!Array.isArray(arr)) continue;
    let q: BaseQuery;
    try {
      q = typedQuery({ e: { $elemMatch: cond } });
    } catch (e) {
      throw badQuery(e);
    }
    // MongoDB puts an $elemMatch-projected field after the other included fields.
    const hit = arr.find((el) => q.test({ e: [el] }));
    if (hit !== undefined) out[k] = [hit];
  }
  // Included fields keep the stored order (mingo moves positional ones first), $elemMatch after.
  if (positional || elemMatches.length) out = inStoredOrder(out, stored, elemMatches.map(([k]) => k));
  for (const k of metas) out[k] = m.score ?? 0;
  return out;
}

function inStoredOrder(out: Document, stored: Document, last: string[]): Document {
  const ordered: Document = {};
  for (const k of Object.keys(stored)) if (k in out && !last.includes(k)) ordered[k] = out[k];
  for (const k of Object.keys(out)) if (!(k in ordered) && !last.includes(k)) ordered[k] = out[k];
  for (const k of last) if (k in out) ordered[k] = out[k];
  return ordered;
}
