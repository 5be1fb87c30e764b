/**
 * Pipeline pieces where mingo's semantics differ from MongoDB's:
 *   $sort    BSON type order across types (mingo orders types its own way)
 *   $__key   canonical group key, so Int32 1, Double 1, Long 1 and Decimal128 1 form one group
 */
import { Lazy } from 'mingo/lazy';
import { evalExpr } from 'mingo/core';
import { Decimal128, type Document } from 'bson';
import type { Collation } from '../contracts.js';
import { docComparator } from './query.js';
import { compareValues } from '../bson-order.js';

interface Iter { transform(fn: (items: Document[]) => unknown): unknown }

export function bsonSort(coll: Iter, sortKeys: Document, options: { collation?: Collation }): unknown {
  const cmp = docComparator(sortKeys, options.collation);
  return coll.transform((items) => Lazy([...items].sort(cmp)));
}

function canonical(v: unknown): unknown {
  if (v instanceof Decimal128) {
    const n = Number(v.toString());
    return Number.isFinite(n) && compareValues(v, n) === 0 ? n : v;
  }
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Document = {};
    for (const [k, x] of Object.entries(v)) out[k] = canonical(x);
    return out;
  }
  return v;
}

export function groupKeyExpr(obj: unknown, expr: unknown, options: unknown): unknown {
  return canonical(evalExpr(obj, expr, options as never));
}
