/**
 * Index key extraction and ordering.
 *
 * A single-field index stores the raw value as its key; a compound index stores an array with one
 * value per field (a "tuple"). Missing fields index as null. Arrays produce one key per element
 * (multikey); an empty array indexes as the empty array itself.
 */
import { compareValues, equalityKey, typeRank } from '../bson-order.js';
import type { Collation } from '../contracts.js';
import { MongoError } from '../errors.js';

/** Tree-order sentinels: before / after every key part regardless of field direction. */
export const LOW = Object.freeze({ __sentinel: 'LOW' });
export const HIGH = Object.freeze({ __sentinel: 'HIGH' });

/** Value-space bound just below (high=false) or just above (high=true) every value of a type rank. */
export class TypeBound {
  constructor(
    readonly rank: number,
    readonly high: boolean,
  ) {}
}

/** compareValues extended with TypeBound (value space, so direction still applies). */
export function compareBound(a: unknown, b: unknown, collation: Collation | null): number {
  if (a instanceof TypeBound) {
    if (b instanceof TypeBound) return a.rank !== b.rank ? a.rank - b.rank : a.high === b.high ? 0 : a.high ? 1 : -1;
    const r = typeRank(b);
    return a.rank !== r ? a.rank - r : a.high ? 1 : -1;
  }
  if (b instanceof TypeBound) return -compareBound(b, a, collation);
  return compareValues(a, b, collation);
}

export interface KeyLayout {
  fields: string[];
  /** 1 or -1 per field */
  dirs: number[];
  collation: Collation | null;
}

/** Comparator for stored keys of an index in tree order. */
export function makeKeyCompare(layout: KeyLayout): (a: unknown, b: unknown) => number {
  const { dirs, collation } = layout;
  const part = (x: unknown, y: unknown, dir: number): number => {
    if (x === y) return 0;
    if (x === LOW || y === HIGH) return -1;
    if (x === HIGH || y === LOW) return 1;
    return dir * compareBound(x, y, collation);
  };
  if (dirs.length === 1) {
    const d = dirs[0]!;
    return (a, b) => part(a, b, d);
  }
  return (a, b) => {
    const ta = a as unknown[];
    const tb = b as unknown[];
    for (let i = 0; i < dirs.length; i++) {
      const c = part(ta[i], tb[i], dirs[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Values of one field for key generation, plus the path prefix of the first array crossed. */
function fieldValues(doc: unknown, path: string, out: unknown[]): string | null {
  let arrayPath: string | null = null;
  const parts = path.split('.');
  const visit = (cur: unknown, i: number) => {
    if (i === parts.length) {
      if (Array.isArray(cur)) {
        arrayPath ??= parts.join('.');
        if (cur.length === 0) out.push(cur);
        else for (const el of cur) out.push(el);
      } else out.push(cur ?? null);
      return;
    }
    if (cur === null || typeof cur !== 'object') {
      out.push(null);
      return;
    }
    const part = parts[i]!;
    if (Array.isArray(cur)) {
      arrayPath ??= parts.slice(0, i).join('.');
      if (/^\d+$/.test(part) && Number(part) < cur.length) visit(cur[Number(part)], i + 1);
      let any = false;
      for (const el of cur) {
        if (el !== null && typeof el === 'object' && !Array.isArray(el) && !(el as { _bsontype?: string })._bsontype) {
          visit((el as Record<string, unknown>)[part], i + 1);
          any = true;
        }
      }
      if (!any && !/^\d+$/.test(part)) out.push(null);
      return;
    }
    if ((cur as { _bsontype?: string })._bsontype || cur instanceof Date) {
      out.push(null);
      return;
    }
    visit((cur as Record<string, unknown>)[part], i + 1);
  };
  if (parts.length === 1) {
    const v = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[path] : undefined;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(v);
      else for (const el of v) out.push(el);
      return path;
    }
    out.push(v ?? null);
    return null;
  }
  visit(doc, 0);
  return arrayPath;
}

export interface DocKeys {
  /** Stored keys: raw values (single field) or tuples (compound); deduplicated. */
  keys: unknown[];
  /** equalityKey of each stored key, same order. */
  eq: string[];
  /** True when an array was crossed (the index becomes multikey). */
  multikey: boolean;
}

/** Joins per-field equality keys without ambiguity. */
export function tupleEqKey(parts: string[]): string {
  if (parts.length === 1) return parts[0]!;
  let s = '';
  for (const p of parts) s += p.length + ':' + p;
  return s;
}

export function extractKeys(doc: unknown, layout: KeyLayout): DocKeys {
  const { fields, collation } = layout;
  if (fields.length === 1) {
    const vals: unknown[] = [];
    const arr = fieldValues(doc, fields[0]!, vals);
    if (vals.length === 1) {
      return { keys: vals, eq: [equalityKey(vals[0], collation)], multikey: arr !== null };
    }
    const keys: unknown[] = [];
    const eq: string[] = [];
    const seen = new Set<string>();
    for (const v of vals) {
      const k = equalityKey(v, collation);
      if (seen.has(k)) continue;
      seen.add(k);
      keys.push(v);
      eq.push(k);
    }
    return { keys, eq, multikey: true };
  }
  const perField: unknown[][] = [];
  const perFieldEq: string[][] = [];
  let arrayField: string | null = null;
  let arrayPath: string | null = null;
  let multikey = false;
  for (const f of fields) {
    const vals: unknown[] = [];
    const arr = fieldValues(doc, f, vals);
    if (arr !== null) {
      multikey = true;
      if (arrayPath !== null && arr !== arrayPath && !arr.startsWith(arrayPath + '.') && !arrayPath.startsWith(arr + '.')) {
        throw new MongoError(171, 'CannotIndexParallelArrays', `cannot index parallel arrays [${f}] [${arrayField}]`);
      }
      arrayPath ??= arr;
      arrayField ??= f;
    }
    const seen = new Set<string>();
    const vs: unknown[] = [];
    const es: string[] = [];
    for (const v of vals) {
      const k = equalityKey(v, collation);
      if (seen.has(k)) continue;
      seen.add(k);
      vs.push(v);
      es.push(k);
    }
    perField.push(vs);
    perFieldEq.push(es);
  }
  // Cartesian product (only fields under one shared array can have several values).
  let tuples: unknown[][] = [[]];
  let eqs: string[][] = [[]];
  for (let f = 0; f < perField.length; f++) {
    const nt: unknown[][] = [];
    const ne: string[][] = [];
    for (let t = 0; t < tuples.length; t++) {
      for (let j = 0; j < perField[f]!.length; j++) {
        nt.push([...tuples[t]!, perField[f]![j]]);
        ne.push([...eqs[t]!, perFieldEq[f]![j]!]);
      }
    }
    tuples = nt;
    eqs = ne;
  }
  return { keys: tuples, eq: eqs.map(tupleEqKey), multikey };
}

/** keyValue for duplicate key errors: { field: value } from one stored key. */
export function keyValueOf(key: unknown, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (fields.length === 1) out[fields[0]!] = key ?? null;
  else fields.forEach((f, i) => (out[f] = (key as unknown[])[i] ?? null));
  return out;
}
