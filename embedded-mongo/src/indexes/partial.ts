/**
 * Evaluation of partialFilterExpression.
 *
 * MongoDB restricts partial filters to equality, $exists, $gt/$gte/$lt/$lte, $type, $in and
 * top-level $and/$or. That subset is evaluated here directly with BSON order (so Int32/Long/
 * Decimal128 values compare exactly, which a generic matcher on plain JS values would not); any
 * other operator falls back to mingo's Query.
 */
import { Query } from 'mingo';
import type { Document } from 'bson';
import { compareValues, equalityKey, getPathValues, Rank, typeRank } from '../bson-order.js';

export type DocPredicate = (doc: Document) => boolean;

const SIMPLE_OPS = new Set(['$eq', '$gt', '$gte', '$lt', '$lte', '$exists', '$type', '$in']);

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || (v as { _bsontype?: string })._bsontype) return false;
  if (v instanceof Date || v instanceof RegExp) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

const TYPE_ALIASES: Record<string, (v: unknown) => boolean> = {
  double: (v) => typeof v === 'number' || (v as { _bsontype?: string })?._bsontype === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => typeRank(v) === Rank.Object,
  array: (v) => Array.isArray(v),
  binData: (v) => typeRank(v) === Rank.Binary,
  objectId: (v) => typeRank(v) === Rank.ObjectId,
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => typeRank(v) === Rank.RegExp,
  int: (v) => (v as { _bsontype?: string })?._bsontype === 'Int32' || (typeof v === 'number' && Number.isInteger(v)),
  timestamp: (v) => typeRank(v) === Rank.Timestamp,
  long: (v) => (v as { _bsontype?: string })?._bsontype === 'Long' || typeof v === 'bigint',
  decimal: (v) => (v as { _bsontype?: string })?._bsontype === 'Decimal128',
  number: (v) => typeRank(v) === Rank.Number,
  minKey: (v) => typeRank(v) === Rank.MinKey,
  maxKey: (v) => typeRank(v) === Rank.MaxKey,
};
const TYPE_NUMBERS: Record<number, string> = { 1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 7: 'objectId', 8: 'bool', 9: 'date', 10: 'null', 11: 'regex', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey' };

/** Values a condition is tested against: each path value and, for arrays, each element. */
function candidatesOf(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

function compareOp(op: string, c: unknown, x: unknown): boolean {
  if (typeRank(c) !== typeRank(x)) return false; // type bracketing
  const r = compareValues(c, x);
  switch (op) {
    case '$gt':
      return r > 0;
    case '$gte':
      return r >= 0;
    case '$lt':
      return r < 0;
    default:
      return r <= 0;
  }
}

/** Tests a field condition (literal or operator object) against the values found at its path. */
export function matchValues(values: unknown[], cond: unknown): boolean {
  if (!isOperatorObject(cond)) {
    const k = equalityKey(cond);
    return candidatesOf(values).some((c) => equalityKey(c) === k);
  }
  for (const [op, x] of Object.entries(cond)) {
    switch (op) {
      case '$eq':
        if (!matchValues(values, x === null || typeof x !== 'object' || !isOperatorObject(x) ? x : { $eq: x })) return false;
        break;
      case '$exists': {
        const present = values.some((v) => v !== undefined);
        if (present !== Boolean(x)) return false;
        break;
      }
      case '$in': {
        const keys = new Set((x as unknown[]).map((e) => equalityKey(e)));
        if (!candidatesOf(values).some((c) => keys.has(equalityKey(c)))) return false;
        break;
      }
      case '$type': {
        const names = (Array.isArray(x) ? x : [x]).map((t) => (typeof t === 'string' ? t : TYPE_NUMBERS[Number(t)]));
        const cands = candidatesOf(values).filter((v) => v !== undefined);
        if (!cands.some((c) => names.some((n) => n !== undefined && TYPE_ALIASES[n]?.(c)))) return false;
        break;
      }
      default:
        if (!candidatesOf(values).some((c) => c !== undefined && compareOp(op, c, x))) return false;
    }
  }
  return true;
}

function isSimple(expr: Document): boolean {
  for (const [k, v] of Object.entries(expr)) {
    if (k === '$and' || k === '$or') {
      if (!Array.isArray(v) || !v.every((e) => e && typeof e === 'object' && isSimple(e as Document))) return false;
    } else if (k.startsWith('$')) return false;
    else if (isOperatorObject(v) && !Object.keys(v).every((op) => SIMPLE_OPS.has(op))) return false;
  }
  return true;
}

function compileSimple(expr: Document): DocPredicate {
  const parts: DocPredicate[] = [];
  for (const [k, v] of Object.entries(expr)) {
    if (k === '$and') {
      const subs = (v as Document[]).map(compileSimple);
      parts.push((d) => subs.every((s) => s(d)));
    } else if (k === '$or') {
      const subs = (v as Document[]).map(compileSimple);
      parts.push((d) => subs.some((s) => s(d)));
    } else parts.push((d) => matchValues(getPathValues(d, k), v));
  }
  return (d) => parts.every((p) => p(d));
}

export function compilePartialFilter(expr: Document): DocPredicate {
  if (isSimple(expr)) return compileSimple(expr);
  const q = new Query(expr);
  return (d) => q.test(d);
}

/** Top-level conditions of a filter, flattening $and: [[path, condition], ...]. */
export function topLevelConditions(filter: Document): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (sub && typeof sub === 'object') out.push(...topLevelConditions(sub as Document));
    } else out.push([k, v]);
  }
  return out;
}

export { isOperatorObject };
