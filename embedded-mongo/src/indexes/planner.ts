/**
 * Query planner: picks one index for a filter (+ sort) and produces lazy candidate record ids.
 *
 * Preference: unique equality > longest equality prefix (+ range on the next field) > range >
 * an index that provides the requested sort > collection scan. Equality-only plans use the hash
 * map; everything else walks the B+tree through the computed intervals.
 */
import type { Document } from 'bson';
import { equalityKey, hashKey, sameCollation } from '../bson-order.js';
import type { Collation, Plan, PlanRequest, RecordId } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';
import { admitsNull, conditionIntervals, type Interval } from './intervals.js';
import type { KeyIndex } from './key-index.js';
import { eqOfStored, HIGH, LOW, storedKey, tupleEqKey, TypeBound } from './keys.js';
import { isOperatorObject, matchValues, topLevelConditions } from './partial.js';

/** Beyond this many equality combinations a compound lookup uses fewer fields. */
const MAX_POINT_COMBINATIONS = 2000;

type Conditions = Map<string, unknown[]>;

function collectConditions(filter: Document): Conditions {
  const out: Conditions = new Map();
  const add = (path: string, cond: unknown) => {
    let list = out.get(path);
    if (!list) out.set(path, (list = []));
    list.push(cond);
  };
  for (const [path, cond] of topLevelConditions(filter)) {
    if (path.startsWith('$')) continue; // $or/$nor/$expr/$where/$text/$comment do not bound one field
    const elem = elemMatchOf(cond);
    if (elem) {
      // A matching element satisfies every condition inside $elemMatch, so each of them bounds
      // the multikey index on that element's path: `f` for value operators, `f.k` for fields.
      const keys = Object.keys(elem);
      if (keys.length && keys.every((k) => k.startsWith('$') && k !== '$and' && k !== '$or' && k !== '$nor' && k !== '$not')) {
        SINGLE_ELEMENT.add(elem);
        add(path, elem);
      }
      else for (const [k, c] of topLevelConditions(elem)) if (!k.startsWith('$')) add(`${path}.${k}`, c);
      continue;
    }
    add(path, cond);
  }
  return out;
}

/** Value conditions from $elemMatch: one element satisfies all operators, so bounds intersect. */
const SINGLE_ELEMENT = new WeakSet<object>();

function elemMatchOf(cond: unknown): Document | null {
  if (!isOperatorObject(cond)) return null;
  const m = (cond as Document).$elemMatch;
  return m && typeof m === 'object' && !Array.isArray(m) ? (m as Document) : null;
}

interface Choice {
  ix: KeyIndex;
  /** Intervals per index field; only the first `usedFields` fields constrain the scan. */
  intervals: (Interval[] | null)[];
  eqPrefix: number;
  usedFields: number;
  pointCombos: number;
  providesSort: boolean;
  /** Walk direction relative to tree order. */
  reverse: boolean;
  score: number;
}

function fieldIntervals(ix: KeyIndex, conds: unknown[] | undefined, queryCollation: Collation | null): Interval[] | null {
  if (!conds) return null;
  const ctx = { collation: ix.collation, stringsUsable: sameCollation(ix.collation, queryCollation), multikey: ix.multikey };
  const single = { ...ctx, multikey: false };
  let acc: Interval[] | null = null;
  for (const c of conds) {
    const iv = conditionIntervals(c, c && typeof c === 'object' && SINGLE_ELEMENT.has(c) ? single : ctx);
    if (!iv) continue;
    // Several conditions on one field from $and: keep the most selective (points first, then fewer).
    if (!acc || (iv.every((i) => i.point) && !acc.every((i) => i.point)) || (iv.length < acc.length && iv.every((i) => i.point) === acc.every((i) => i.point))) acc = iv;
  }
  return acc;
}

/** Sort provision: the index order (or its reverse) equals the requested order. */
function sortDirection(ix: KeyIndex, sort: [string, number][], intervals: (Interval[] | null)[]): 1 | -1 | null {
  if (sort.length === 0) return null;
  if (ix.multikey) return null; // arrays sort by min/max element, which an index walk does not give
  const fields = ix.fields;
  let i = 0;
  let sigma: number | null = null;
  const singlePoint = (k: number) => {
    const iv = intervals[k];
    return !!iv && iv.length === 1 && iv[0]!.point;
  };
  for (const [f, d] of sort) {
    while (i < fields.length && fields[i] !== f && singlePoint(i)) i++;
    if (i >= fields.length || fields[i] !== f) return null;
    const s = d * ix.layout.dirs[i]!;
    if (sigma === null) sigma = s;
    else if (sigma !== s) return null;
    i++;
  }
  return sigma === null ? 1 : (sigma as 1 | -1);
}

/** Conservative: the partial filter's every top-level condition is implied by the query. */
function impliesPartial(ix: KeyIndex, filter: Document, conds: Conditions): boolean {
  const pfe = ix.def.spec.partialFilterExpression;
  if (!pfe) return true;
  for (const [path, pcond] of topLevelConditions(pfe)) {
    if (path.startsWith('$')) {
      // $or inside a partial filter: only identical presence in the query counts.
      if (!(path in filter) || equalityKey(filter[path]) !== equalityKey(pcond)) return false;
      continue;
    }
    const qconds = conds.get(path);
    if (!qconds) return false;
    const wanted = equalityKey(pcond);
    const ok = qconds.some((q) => {
      if (equalityKey(q) === wanted) return true;
      // A stricter equality: the queried value itself satisfies the partial condition.
      const eqValue = !isOperatorObject(q) && !(q instanceof RegExp) ? [q] : q && typeof q === 'object' && '$eq' in q && Object.keys(q).length === 1 ? [(q as Document).$eq] : null;
      if (eqValue) return eqValue[0] !== null && eqValue[0] !== undefined && matchValues(eqValue, pcond);
      const inValues = q && typeof q === 'object' && Array.isArray((q as Document).$in) && Object.keys(q).length === 1 ? ((q as Document).$in as unknown[]) : null;
      if (inValues) return inValues.every((v) => v !== null && v !== undefined && matchValues([v], pcond));
      return false;
    });
    if (!ok) return false;
  }
  return true;
}

function evaluate(ix: KeyIndex, filter: Document, conds: Conditions, sort: [string, number][], req: PlanRequest, hinted: boolean): Choice | null {
  if (ix.inert) return null;
  if (ix.hidden && !hinted) return null;
  if (!hinted && ix.partial && !impliesPartial(ix, filter, conds)) return null;
  const queryCollation = req.collation && req.collation.locale !== 'simple' ? req.collation : null;
  const intervals = ix.fields.map((f) => fieldIntervals(ix, conds.get(f), queryCollation));
  let eqPrefix = 0;
  let combos = 1;
  while (eqPrefix < intervals.length) {
    const iv = intervals[eqPrefix];
    if (!iv || !iv.every((i) => i.point) || combos * iv.length > MAX_POINT_COMBINATIONS) break;
    combos *= iv.length;
    eqPrefix++;
  }
  let usedFields = eqPrefix;
  if (eqPrefix < intervals.length && intervals[eqPrefix] && combos * intervals[eqPrefix]!.length <= MAX_POINT_COMBINATIONS) usedFields++;
  const used = intervals.slice(0, usedFields) as Interval[][];
  // An empty interval list means the filter cannot match anything through this field.
  if (!hinted && ix.sparse && !used.some((iv) => !admitsNull(iv))) {
    return null; // a sparse index would miss documents without the field
  }
  let dir = sortDirection(ix, sort, intervals);
  // A different collation means the index's string order is not the requested one.
  if (dir !== null && !sameCollation(ix.collation, queryCollation)) dir = null;
  const unique = ix.unique && eqPrefix === ix.fields.length && combos === 1;
  let score: number;
  if (unique) score = 1_000_000;
  else if (usedFields > 0) score = eqPrefix * 1000 + (usedFields > eqPrefix ? 500 : 0) + (dir !== null ? 100 : 0) - ix.fields.length - Math.min(combos, 50);
  else if (dir !== null || hinted) score = 10 - ix.fields.length;
  else return null;
  if (unique && sort.length) dir ??= 1; // at most one result
  return { ix, intervals, eqPrefix, usedFields, pointCombos: combos, providesSort: dir !== null, reverse: dir === -1, score };
}

function cartesian(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((t) => l.map((v) => [...t, v]));
  return out;
}

interface Counter {
  n: number;
}

/** Hash lookups for a full equality match on every field. */
function* hashCandidates(c: Choice, counter: Counter): Generator<RecordId> {
  const ix = c.ix;
  const ivs = c.intervals as Interval[][];
  const keys: (string | number)[] =
    ivs.length === 1
      ? ivs[0]!.map((i) => hashKey(i.lo, ix.collation))
      : (cartesian(ivs.map((l) => l.map((i) => eqOfStored(storedKey(i.lo), ix.collation)))) as string[][]).map(tupleEqKey);
  const seen = keys.length > 1 ? new Set<RecordId>() : null;
  for (const key of keys) {
    const ids = ix.lookup(key);
    counter.n += ids.length || 1;
    for (const id of ids) {
      if (seen) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      yield id;
    }
  }
}

interface TreeRange {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
}

/** Tree-order ranges covering the chosen intervals, in walk order. */
function treeRanges(c: Choice): TreeRange[] {
  const ix = c.ix;
  const n = ix.fields.length;
  const dirs = ix.layout.dirs;
  // Bounds are compared with stored keys, so they use the same encoding (TypeBounds stay as they are).
  const enc = (v: unknown) => (v instanceof TypeBound ? v : storedKey(v));
  const pointLists = (c.intervals.slice(0, c.eqPrefix) as Interval[][]).map((ivs) => ivs.map((i) => enc(i.lo)));
  const rangeList: Interval[] | null = c.usedFields > c.eqPrefix ? (c.intervals[c.eqPrefix] as Interval[]) : null;
  const prefixes = cartesian(pointLists);
  const out: TreeRange[] = [];
  for (const prefix of prefixes) {
    const ranges: (TreeRange | null)[] = rangeList
      ? rangeList.map((iv) => (dirs[c.eqPrefix]! > 0 ? { lo: enc(iv.lo), loInc: iv.loInc, hi: enc(iv.hi), hiInc: iv.hiInc } : { lo: enc(iv.hi), loInc: iv.hiInc, hi: enc(iv.lo), hiInc: iv.loInc }))
      : [null];
    for (const r of ranges) {
      if (n === 1) {
        if (r) out.push(r);
        else out.push({ lo: prefix[0], loInc: true, hi: prefix[0], hiInc: true });
        continue;
      }
      const fixed = prefix.length + (r ? 1 : 0);
      const pad = n - fixed;
      const lo = [...prefix];
      const hi = [...prefix];
      let loInc = true;
      let hiInc = true;
      if (r) {
        lo.push(r.lo);
        hi.push(r.hi);
        if (pad === 0) {
          loInc = r.loInc;
          hiInc = r.hiInc;
        }
      }
      for (let k = 0; k < pad; k++) {
        lo.push(r && !r.loInc && k === 0 ? HIGH : LOW);
        hi.push(r && !r.hiInc && k === 0 ? LOW : HIGH);
      }
      // Sentinel padding past an exclusive bound: once the first pad is HIGH/LOW, the rest are irrelevant.
      out.push({ lo, loInc, hi, hiInc });
    }
  }
  const cmp = ix.compareKeys;
  out.sort((a, b) => cmp(a.lo, b.lo));
  return out;
}

function* treeCandidates(c: Choice, counter: Counter): Generator<RecordId> {
  const ix = c.ix;
  const full = c.usedFields === 0;
  const ranges = full ? [] : treeRanges(c);
  if (c.reverse) ranges.reverse();
  const dedupe = ix.multikey || ranges.length > 1 ? new Set<RecordId>() : null;
  const walks = full
    ? [ix.tree.walk(undefined, true, undefined, true, c.reverse, true, true)]
    : ranges.map((r) => ix.tree.walk(r.lo, r.loInc, r.hi, r.hiInc, c.reverse));
  for (const w of walks) {
    for (const [, id] of w) {
      counter.n++;
      if (dedupe) {
        if (dedupe.has(id)) continue;
        dedupe.add(id);
      }
      yield id;
    }
  }
}

function describe(c: Choice, how: string): string {
  const key = JSON.stringify(c.ix.def.spec.key);
  return `${how} ${key} (${c.ix.name})${c.reverse ? ' backward' : ''}`;
}

function toPlan(c: Choice, sortRequested: boolean): Plan {
  const counter: Counter = { n: 0 };
  const allPoints = c.eqPrefix === c.ix.fields.length;
  const useHash = allPoints && c.ix.hasHash && (!sortRequested || !c.providesSort || (c.ix.unique && c.pointCombos === 1));
  const candidates = useHash ? hashCandidates(c, counter) : treeCandidates(c, counter);
  return {
    indexName: c.ix.name,
    candidates,
    providesSort: sortRequested && c.providesSort,
    stage: describe(c, useHash ? 'IXSCAN(hash)' : 'IXSCAN'),
    get keysExamined() {
      return counter.n;
    },
  };
}

export const COLLSCAN: Plan = Object.freeze({ indexName: null, candidates: null, providesSort: false, stage: 'COLLSCAN', keysExamined: 0 });

function matchesHint(ix: KeyIndex, hint: string | Document): boolean {
  if (typeof hint === 'string') return ix.name === hint;
  const a = Object.entries(hint);
  const b = Object.entries(ix.def.spec.key);
  if (a.length !== b.length) return false;
  return a.every(([f, d], i) => b[i]![0] === f && equalityKey(d) === equalityKey(b[i]![1]));
}

function sortEntries(sort: Document | undefined): [string, number][] {
  if (!sort) return [];
  const out: [string, number][] = [];
  for (const [f, d] of Object.entries(sort)) {
    if (d && typeof d === 'object' && '$meta' in (d as Document)) return []; // textScore sorts are the engine's
    out.push([f, Number(d?.valueOf?.() ?? d) < 0 ? -1 : 1]);
  }
  return out;
}

/** Scalar equality values for the single-field unique fast path (no arrays, regexes, operators). */
function isScalarKey(v: unknown): boolean {
  if (typeof v === 'string' || typeof v === 'number') return true;
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Date) return true;
  const t = (v as { _bsontype?: string })._bsontype;
  return t === 'ObjectId' || t === 'Int32' || t === 'Double' || t === 'Long' || t === 'Decimal128';
}

/**
 * findOne-by-unique-key fast path: `{ field: scalar }` on a unique single-field index. This is the
 * commonest query shape and needs no interval analysis: one hash lookup.
 */
function uniqueLookup(indexes: KeyIndex[], req: PlanRequest): Plan | null {
  const filter = req.filter;
  if (!filter || req.hint !== undefined) return null;
  let field: string | undefined;
  for (const k in filter) {
    if (field !== undefined) return null;
    field = k;
  }
  if (field === undefined || field.charCodeAt(0) === 36 /* $ */) return null;
  const v = filter[field];
  if (!isScalarKey(v)) return null;
  const queryCollation = req.collation && req.collation.locale !== 'simple' ? req.collation : null;
  for (const ix of indexes) {
    if (!ix.unique || ix.partial || ix.hidden || ix.inert || ix.fields.length !== 1 || ix.fields[0] !== field) continue;
    if (typeof v === 'string' && !sameCollation(ix.collation, queryCollation)) continue;
    const ids = ix.lookupValue(v);
    return { indexName: ix.name, candidates: ids, providesSort: !!req.sort, stage: `IXSCAN(${ix.hasHash ? 'hash' : 'point'}) ${JSON.stringify(ix.def.spec.key)} (${ix.name})`, keysExamined: 1 };
  }
  return null;
}

export function planQuery(indexes: KeyIndex[], req: PlanRequest): Plan {
  const fast = uniqueLookup(indexes, req);
  if (fast) return fast;
  const filter = req.filter ?? {};
  const sort = sortEntries(req.sort);
  const conds = collectConditions(filter);
  if (req.hint !== undefined && req.hint !== null && !(typeof req.hint === 'object' && Object.keys(req.hint).length === 0)) {
    if (typeof req.hint === 'object' && '$natural' in req.hint) return COLLSCAN;
    const ix = indexes.find((i) => matchesHint(i, req.hint!));
    if (!ix || ix.inert) throw new MongoError(Codes.BadValue, 'BadValue', 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
    return toPlan(evaluate(ix, filter, conds, sort, req, true)!, sort.length > 0);
  }
  let best: Choice | null = null;
  for (const ix of indexes) {
    const c = evaluate(ix, filter, conds, sort, req, false);
    if (c && (!best || c.score > best.score)) best = c;
  }
  if ((!best || best.score < 1000) && Array.isArray(filter.$or) && filter.$or.length > 0) {
    const orPlan = planOr(indexes, filter.$or as Document[], req);
    if (orPlan) return orPlan;
  }
  return best ? toPlan(best, sort.length > 0) : COLLSCAN;
}

/** $or: when every branch has an index, the union of their candidates. */
function planOr(indexes: KeyIndex[], branches: Document[], req: PlanRequest): Plan | null {
  const plans: Plan[] = [];
  for (const b of branches) {
    const p = planQuery(indexes, { filter: b, collation: req.collation });
    if (p.candidates === null) return null;
    plans.push(p);
  }
  function* union(): Generator<RecordId> {
    const seen = new Set<RecordId>();
    for (const p of plans) for (const id of p.candidates!) if (!seen.has(id)) {
      seen.add(id);
      yield id;
    }
  }
  return {
    indexName: plans[0]!.indexName,
    candidates: union(),
    providesSort: false,
    stage: `OR [${plans.map((p) => p.stage).join(', ')}]`,
    get keysExamined() {
      return plans.reduce((s, p) => s + (p.keysExamined ?? 0), 0);
    },
  };
}
