/**
 * Turning query conditions on one field into index bounds: a list of value-space intervals.
 * Bounds are a superset of what the condition matches (the engine re-checks every candidate);
 * `null` means "this condition cannot narrow the index".
 */
import { Rank, typeRank } from '../bson-order.js';
import type { Collation } from '../contracts.js';
import { compareBound, TypeBound } from './keys.js';
import { isOperatorObject } from './partial.js';

export interface Interval {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
  /** lo === hi, both inclusive: an equality point, usable for hash lookups. */
  point: boolean;
}

const point = (v: unknown): Interval => ({ lo: v ?? null, loInc: true, hi: v ?? null, hiInc: true, point: true });
const typeRange = (rank: number): Interval => ({ lo: new TypeBound(rank, false), loInc: true, hi: new TypeBound(rank, true), hiInc: true, point: false });

export interface IntervalContext {
  /** Collation the bounds will be compared with (the index's). */
  collation: Collation | null;
  /** False when strings cannot be bounded (query collation differs from the index's). */
  stringsUsable: boolean;
  /** Multikey indexes cannot intersect bounds from different operators. */
  multikey: boolean;
}

function containsString(v: unknown): boolean {
  if (typeof v === 'string') return true;
  if (v === null || typeof v !== 'object') return false;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'BSONSymbol') return true;
  if (t) return false;
  if (v instanceof Date || v instanceof RegExp) return false;
  if (Array.isArray(v)) return v.some(containsString);
  return Object.values(v).some(containsString);
}

function regexParts(v: unknown): [string, string] | null {
  if (v instanceof RegExp) return [v.source, v.flags];
  if (v && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'BSONRegExp') {
    const r = v as { pattern: string; options: string };
    return [r.pattern, r.options];
  }
  return null;
}

/** Literal prefix of an anchored regex, or null when the regex is not anchored/usable. */
export function regexPrefix(pattern: string, flags: string): string | null {
  if (/[imx]/.test(flags)) return null; // case-insensitive, multi-line anchors, extended syntax
  let i: number;
  if (pattern.startsWith('^')) i = 1;
  else if (pattern.startsWith('\\A')) i = 2;
  else return null;
  let prefix = '';
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if ('.*+?()[]{}|^$'.includes(c)) break;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n !== undefined && /[^A-Za-z0-9]/.test(n)) {
        prefix += n;
        i++;
        continue;
      }
      break;
    }
    prefix += c;
  }
  // A quantifier makes the last literal character optional.
  if (i < pattern.length && '*?{'.includes(pattern[i]!)) prefix = prefix.slice(0, -1);
  return prefix;
}

function regexIntervals(pattern: string, flags: string, ctx: IntervalContext): Interval[] | null {
  if (!ctx.stringsUsable || ctx.collation) return null; // collation breaks prefix order
  const prefix = regexPrefix(pattern, flags);
  if (prefix === null) return null;
  // The field may also hold the regex itself ({ a: /x/ } matches a stored /x/).
  const regexValues = typeRange(Rank.RegExp);
  if (prefix === '') return [typeRange(Rank.String), regexValues];
  const last = prefix.charCodeAt(prefix.length - 1);
  const upper = last >= 0xd7ff ? new TypeBound(Rank.String, true) : prefix.slice(0, -1) + String.fromCharCode(last + 1);
  return [{ lo: prefix, loInc: true, hi: upper, hiInc: false, point: false }, regexValues];
}

/** Intervals for an equality with a literal value (arrays match as a whole or by element). */
function equalityIntervals(v: unknown, ctx: IntervalContext): Interval[] | null {
  if (!ctx.stringsUsable && containsString(v)) return null;
  if (Array.isArray(v)) return v.length ? [point(v), point(v[0])] : [point(v)];
  return [point(v)];
}

function rangeIntervals(op: string, v: unknown, ctx: IntervalContext): Interval[] | null {
  if (!ctx.stringsUsable && containsString(v)) return null;
  const rank = typeRank(v);
  if (rank === Rank.Array) return null;
  if (rank === Rank.Null) return op === '$gte' || op === '$lte' ? [point(null)] : [];
  if (rank === Rank.MinKey) return op === '$gt' ? [{ lo: v, loInc: false, hi: new TypeBound(Rank.MaxKey, true), hiInc: true, point: false }] : op === '$gte' ? null : [];
  if (rank === Rank.MaxKey) return op === '$lt' ? null : op === '$lte' ? null : [];
  switch (op) {
    case '$gt':
    case '$gte':
      return [{ lo: v, loInc: op === '$gte', hi: new TypeBound(rank, true), hiInc: true, point: false }];
    default:
      return [{ lo: new TypeBound(rank, false), loInc: true, hi: v, hiInc: op === '$lte', point: false }];
  }
}

/** Intervals for one field condition (a literal, a regex or an operator object). */
export function conditionIntervals(cond: unknown, ctx: IntervalContext): Interval[] | null {
  const rx = regexParts(cond);
  if (rx) return regexIntervals(rx[0], rx[1], ctx);
  if (!isOperatorObject(cond)) return equalityIntervals(cond, ctx);
  const lists: Interval[][] = [];
  const ops = cond as Record<string, unknown>;
  for (const [op, v] of Object.entries(ops)) {
    let list: Interval[] | null = null;
    switch (op) {
      case '$eq':
        list = equalityIntervals(v, ctx);
        break;
      case '$in': {
        if (!Array.isArray(v)) break;
        const all: Interval[] = [];
        let ok = true;
        for (const e of v) {
          const r = regexParts(e);
          const part = r ? regexIntervals(r[0], r[1], ctx) : equalityIntervals(e, ctx);
          if (!part) {
            ok = false;
            break;
          }
          all.push(...part);
        }
        if (ok) list = all;
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        list = rangeIntervals(op, v, ctx);
        break;
      case '$exists':
        if (!v) list = [point(null)];
        break;
      case '$regex': {
        const r = regexParts(v);
        const flags = String(ops.$options ?? '') + (r ? r[1] : '');
        list = regexIntervals(r ? r[0] : String(v), flags, ctx);
        break;
      }
      case '$all':
        if (Array.isArray(v) && v.length > 0 && !isOperatorObject(v[0])) list = conditionIntervals(v[0], ctx);
        break;
    }
    if (list) lists.push(list);
  }
  if (lists.length === 0) return null;
  if (lists.length === 1) return normalise(lists[0]!, ctx.collation);
  if (ctx.multikey) {
    // Each operator may be satisfied by a different array element: bounds cannot be combined.
    return normalise(lists.find((l) => l.every((i) => i.point)) ?? lists[0]!, ctx.collation);
  }
  let acc = normalise(lists[0]!, ctx.collation);
  for (let i = 1; i < lists.length; i++) acc = intersect(acc, normalise(lists[i]!, ctx.collation), ctx.collation);
  return acc;
}

/** Sorted, non-overlapping intervals. */
export function normalise(list: Interval[], collation: Collation | null): Interval[] {
  const cmp = (a: unknown, b: unknown) => compareBound(a, b, collation);
  const sorted = [...list].sort((a, b) => cmp(a.lo, b.lo) || (a.loInc === b.loInc ? 0 : a.loInc ? -1 : 1));
  const out: Interval[] = [];
  for (const iv of sorted) {
    const prev = out[out.length - 1];
    if (prev) {
      const c = cmp(iv.lo, prev.hi);
      if (c < 0 || (c === 0 && (iv.loInc || prev.hiInc))) {
        const h = cmp(iv.hi, prev.hi);
        if (h > 0 || (h === 0 && iv.hiInc)) {
          prev.hi = iv.hi;
          prev.hiInc = iv.hiInc || (h === 0 && prev.hiInc);
        }
        prev.point = prev.point && iv.point && cmp(prev.lo, prev.hi) === 0;
        continue;
      }
    }
    out.push({ ...iv });
  }
  return out;
}

function intersect(a: Interval[], b: Interval[], collation: Collation | null): Interval[] {
  const cmp = (x: unknown, y: unknown) => compareBound(x, y, collation);
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const lc = cmp(x.lo, y.lo);
      const lo = lc >= 0 ? x.lo : y.lo;
      const loInc = lc > 0 ? x.loInc : lc < 0 ? y.loInc : x.loInc && y.loInc;
      const hc = cmp(x.hi, y.hi);
      const hi = hc <= 0 ? x.hi : y.hi;
      const hiInc = hc < 0 ? x.hiInc : hc > 0 ? y.hiInc : x.hiInc && y.hiInc;
      const c = cmp(lo, hi);
      if (c < 0 || (c === 0 && loInc && hiInc)) {
        const isPoint = c === 0;
        out.push({ lo, loInc, hi, hiInc, point: isPoint && (x.point ? true : y.point ? true : !(lo instanceof TypeBound)) });
      }
    }
  }
  // Points keep the original equality value (e.g. the $eq operand) for hash lookups.
  return normalise(out, collation);
}

/** True when some interval admits null/missing (so a sparse index would miss documents). */
export function admitsNull(list: Interval[]): boolean {
  return list.some((iv) => {
    const lo = compareBound(iv.lo, null, null);
    const hi = compareBound(iv.hi, null, null);
    return (lo < 0 || (lo === 0 && iv.loInc)) && (hi > 0 || (hi === 0 && iv.hiInc));
  });
}

/** Same, restricted to string-free queries when the collation differs. */
export { containsString };
