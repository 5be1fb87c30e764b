/**
 * Query operators that mingo gets wrong for BSON classes, replaced in mingo's context so filters
 * run on *typed* documents: comparison by BSON order (Int32 = Double = Long = Decimal128 by value,
 * int64 beyond 2^53 exact), comparisons only within one type bracket, collation-aware string
 * equality, exact `$type`, and `$expr` evaluated on the numeric view.
 */
import { Query } from 'mingo';
import { Query as BaseQuery } from 'mingo/query';
import type { Document } from 'bson';
import type { Collation } from '../contracts.js';
import { compareValues, equalityKey, getPathValues, typeRank } from '../bson-order.js';
import { toView } from './values.js';

type Opts = { collation?: Collation };
type Pred = (doc: unknown) => boolean;

/** Every value a filter path can match: reached values plus the elements of reached arrays. */
function candidates(doc: unknown, path: string): { values: unknown[]; missing: boolean } {
  const reached = getPathValues(doc, path);
  const values: unknown[] = [];
  let missing = reached.length === 0;
  for (const v of reached) {
    if (v === undefined) { missing = true; continue; }
    values.push(v);
    if (Array.isArray(v)) values.push(...v);
  }
  return { values, missing };
}

const isRegex = (v: unknown): v is RegExp => v instanceof RegExp;
const isNull = (v: unknown) => v === null || v === undefined;

function equals(a: unknown, b: unknown, c?: Collation): boolean {
  if (isRegex(b)) return (typeof a === 'string' && b.test(a)) || (isRegex(a) && a.source === b.source && a.flags === b.flags);
  return typeRank(a) === typeRank(b) && compareValues(a, b, c) === 0;
}

function matchEq(doc: unknown, path: string, v: unknown, c?: Collation): boolean {
  const { values, missing } = candidates(doc, path);
  if (isNull(v)) return missing || values.some(isNull);
  return values.some((x) => equals(x, v, c));
}

function rangeOp(test: (cmp: number) => boolean) {
  return (path: string, v: unknown, o: Opts): Pred => (doc) => {
    const { values, missing } = candidates(doc, path);
    if (isNull(v)) return test(0) && (missing || values.some(isNull));
    const rank = typeRank(v);
    return values.some((x) => typeRank(x) === rank && test(compareValues(x, v, o.collation)));
  };
}

function matchIn(doc: unknown, path: string, list: unknown, c?: Collation): boolean {
  if (!Array.isArray(list)) throw new Error('$in needs an array');
  return list.some((v) => matchEq(doc, path, v, c));
}

/**
 * `$in` / `$nin` predicate. Testing every listed value against every document is O(list) per
 * document: a 17,000-id `$in` over the 17,000 documents it fetched took minutes. Long lists of
 * plain values are looked up by their canonical equality key instead (the key hash indexes use,
 * collation-folded), each hit confirmed with the exact comparison. Nulls and regexes keep their own
 * rules, so lists holding them take the per-value path.
 */
function inPredicate(path: string, list: unknown, c?: Collation): Pred {
  if (!Array.isArray(list) || list.length < 8 || list.some((v) => isNull(v) || isRegex(v) || (v as { _bsontype?: string })?._bsontype === 'BSONRegExp')) {
    return (doc) => matchIn(doc, path, list, c);
  }
  const byKey = new Map<string, unknown[]>();
  for (const v of list) {
    const k = equalityKey(v, c);
    const same = byKey.get(k);
    if (same) same.push(v);
    else byKey.set(k, [v]);
  }
  return (doc) => candidates(doc, path).values.some((x) => byKey.get(equalityKey(x, c))?.some((v) => equals(x, v, c)) ?? false);
}

const TYPE_NAMES: Record<string, string[]> = {
  double: ['Double'], string: ['string'], object: ['object'], array: ['array'], binData: ['Binary'],
  undefined: ['undefined'], objectId: ['ObjectId'], bool: ['boolean'], date: ['Date'], null: ['null'],
  regex: ['RegExp', 'BSONRegExp'], javascript: ['Code'], symbol: ['BSONSymbol'], int: ['Int32'],
  timestamp: ['Timestamp'], long: ['Long'], decimal: ['Decimal128'], minKey: ['MinKey'], maxKey: ['MaxKey'],
  number: ['Double', 'Int32', 'Long', 'Decimal128'],
};
const TYPE_CODES: Record<number, string> = { 1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId', 8: 'bool', 9: 'date', 10: 'null', 11: 'regex', 13: 'javascript', 14: 'symbol', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey' };

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 'Int32' : 'Double';
  if (typeof v === 'bigint') return 'Long';
  if (typeof v !== 'object') return typeof v;
  if (v instanceof Date) return 'Date';
  if (v instanceof RegExp) return 'RegExp';
  const t = (v as { _bsontype?: string })._bsontype;
  return t ?? 'object';
}

function matchType(doc: unknown, path: string, spec: unknown): boolean {
  const wanted = (Array.isArray(spec) ? spec : [spec]).flatMap((s) => {
    const name = typeof s === 'string' ? s : TYPE_CODES[Number((s as { valueOf(): unknown }).valueOf())];
    return TYPE_NAMES[name ?? ''] ?? [];
  });
  const reached = getPathValues(doc, path).filter((v) => v !== undefined);
  for (const v of reached) {
    if (wanted.includes(typeOf(v))) return true;
    if (Array.isArray(v) && v.some((x) => wanted.includes(typeOf(x)))) return true;
  }
  return false;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number((v as { valueOf(): unknown })?.valueOf?.() ?? NaN);
}

export const typedQueryOps = {
  $eq: (path: string, v: unknown, o: Opts): Pred => (doc) => matchEq(doc, path, v, o.collation),
  $ne: (path: string, v: unknown, o: Opts): Pred => (doc) => !matchEq(doc, path, v, o.collation),
  $gt: rangeOp((c) => c > 0),
  $gte: rangeOp((c) => c >= 0),
  $lt: rangeOp((c) => c < 0),
  $lte: rangeOp((c) => c <= 0),
  $in: (path: string, v: unknown, o: Opts): Pred => inPredicate(path, v, o.collation),
  $nin: (path: string, v: unknown, o: Opts): Pred => {
    const matches = inPredicate(path, v, o.collation);
    return (doc) => !matches(doc);
  },
  $type: (path: string, v: unknown): Pred => (doc) => matchType(doc, path, v),
  $mod: (path: string, v: unknown): Pred => {
    const [d, r] = (v as unknown[]).map(num);
    return (doc) => candidates(doc, path).values.some((x) => typeRank(x) === 2 && Math.trunc(num(x)) % d! === r);
  },
  $all: (path: string, v: unknown, o: Opts): Pred => (doc) => {
    const list = v as unknown[];
    if (list.length === 0) return false;
    return list.every((x) => {
      if (x && typeof x === 'object' && (x as Document).$elemMatch) {
        const q = new BaseQuery({ [path]: x as Document }, o as never);
        return q.test(doc as Document);
      }
      return matchEq(doc, path, x, o.collation);
    });
  },
  $size: (path: string, v: unknown): Pred => {
    const n = num(v);
    return (doc) => getPathValues(doc, path).some((x) => Array.isArray(x) && x.length === n);
  },
  $exists: (path: string, v: unknown): Pred => {
    const want = typeof v === 'boolean' ? v : typeRank(v) === 2 ? num(v) !== 0 : v !== null && v !== undefined;
    return (doc) => getPathValues(doc, path).some((x) => x !== undefined) === want;
  },
  $expr: (_path: string, v: unknown, o: Opts): Pred => {
    const q = new Query({ $expr: toView(v) } as Document, (o.collation ? { collation: o.collation } : {}) as never);
    return (doc) => q.test(toView(doc) as Document);
  },
};
