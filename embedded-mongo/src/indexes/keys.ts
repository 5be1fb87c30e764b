/**
 * Index key extraction and ordering.
 *
 * A single-field index stores the raw value as its key; a compound index stores an array with one
 * value per field (a "tuple"). Missing fields index as null. Arrays produce one key per element
 * (multikey); an empty array indexes as the empty array itself.
 */
import { ObjectId } from 'bson';
import { binaryStringCompare, compareValues, dateFromKey, isSimpleCollation, dateKey, equalityKey, hashKey, objectIdKey, Rank, typeRank } from '../bson-order.js';
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

// ---------------------------------------------------------------------------------------------
// Stored keys
//
// Tree keys avoid keeping a BSON wrapper object alive per entry: Int32/Double become JS numbers,
// and ObjectId and Date become the same flat string hashKey() gives them ("\0i" + 12 bytes,
// "\0d" + 4 chunks), which the hash map then shares. A real string starting with NUL is stored
// escaped ("\0\0" + s) so the encodings can never be confused with user strings.

const TAG_ESCAPED = 0;
const TAG_OID = 105;
const TAG_DATE = 100;

export function storedKey(v: unknown): unknown {
  if (typeof v === 'string') return v.charCodeAt(0) === 0 ? '\0\0' + v : v;
  if (v === null || typeof v !== 'object') return v === undefined ? null : v;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Int32' || t === 'Double') return (v as { value: number }).value;
  if (t === 'ObjectId' || t === 'ObjectID') return objectIdKey(v, TAG_OID, 0);
  if (v instanceof Date && v.getTime() === v.getTime()) return dateKey(v, TAG_DATE, 0);
  return v;
}

function isEncoded(x: unknown): x is string {
  return typeof x === 'string' && x.charCodeAt(0) === 0;
}

/** The BSON value a stored key stands for. */
export function decodeStored(x: unknown): unknown {
  if (!isEncoded(x)) return x;
  const tag = x.charCodeAt(1);
  if (tag === TAG_ESCAPED) return x.slice(2);
  if (tag === TAG_OID) {
    if (x.length !== 14) return new ObjectId(x.slice(2));
    const bytes = new Uint8Array(12);
    for (let i = 0; i < 12; i++) bytes[i] = x.charCodeAt(i + 2);
    return new ObjectId(bytes);
  }
  return x.length === 6 ? dateFromKey(x, 2) : new Date(NaN);
}

function storedRank(x: unknown): number {
  if (typeof x === 'string') {
    if (x.charCodeAt(0) !== 0) return Rank.String;
    const tag = x.charCodeAt(1);
    return tag === TAG_OID ? Rank.ObjectId : tag === TAG_DATE ? Rank.Date : Rank.String;
  }
  return typeRank(x);
}

/** Hash-map key of a stored key (equal to hashKey of the value it stands for). */
export function hashOfStored(x: unknown, collation: Collation | null): string | number {
  if (typeof x === 'number') return x === 0 ? 0 : x;
  if (typeof x === 'string') {
    if (!collation) return x; // already hashKey's form
    if (x.charCodeAt(0) !== 0) return hashKey(x, collation);
    return x.charCodeAt(1) === TAG_ESCAPED ? hashKey(x.slice(2), collation) : x;
  }
  return hashKey(x, collation);
}

/** equalityKey of a stored key (compound indexes join these). */
export function eqOfStored(x: unknown, collation: Collation | null): string {
  if (isEncoded(x)) {
    const tag = x.charCodeAt(1);
    if (tag === TAG_ESCAPED) return equalityKey(x.slice(2), collation);
    return 'x' + x; // ObjectId / Date encodings: no folding, and 'x' is not an equalityKey type tag
  }
  return equalityKey(x, collation);
}

/** Order of two stored keys (or encoded bounds, TypeBounds) in value space. */
export function compareStored(a: unknown, b: unknown, collation: Collation | null): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const ea = a.charCodeAt(0) === 0;
    const eb = b.charCodeAt(0) === 0;
    if (!ea && !eb) return compareValues(a, b, collation);
    const ra = storedRank(a);
    const rb = storedRank(b);
    if (ra !== rb) return ra < rb ? -1 : 1;
    if (ra === Rank.String) return compareValues(ea ? a.slice(2) : a, eb ? b.slice(2) : b, collation);
    // Same fixed-width encoding: code-unit order is value order.
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof TypeBound) {
    if (b instanceof TypeBound) return a.rank !== b.rank ? a.rank - b.rank : a.high === b.high ? 0 : a.high ? 1 : -1;
    const r = storedRank(b);
    return a.rank !== r ? a.rank - r : a.high ? 1 : -1;
  }
  if (b instanceof TypeBound) return -compareStored(b, a, collation);
  return compareValues(decodeStored(a), decodeStored(b), collation);
}

/**
 * Comparators for stored keys of an index in tree order: of whole keys and, for compound indexes, the comparator of one field of two tuples (the
 * B+tree compares flattened tuple entries field by field).
 */
export function makeComparators(layout: KeyLayout): { keys: (a: unknown, b: unknown) => number; part: (x: unknown, y: unknown, f: number) => number } {
  const { dirs, collation } = layout;
  const simple = isSimpleCollation(collation);
  const part = (x: unknown, y: unknown, dir: number): number => {
    if (x === y) return 0;
    // Fast paths for the commonest keys (this runs ~17 times per B-tree insert or seek): two
    // numbers (not NaN), two plain strings without collation, two ObjectIds, two Dates.
    if (typeof x === 'number' && typeof y === 'number') {
      if (x < y) return -dir;
      if (x > y) return dir;
    } else if (typeof x === 'string' && typeof y === 'string') {
      const x0 = x.charCodeAt(0);
      const y0 = y.charCodeAt(0);
      if (x0 !== 0 && y0 !== 0) {
        if (simple) return dir * binaryStringCompare(x, y);
      } else if (x0 === 0 && y0 === 0 && x.charCodeAt(1) === y.charCodeAt(1) && x.charCodeAt(1) !== TAG_ESCAPED) {
        // Two ObjectIds or two Dates: same fixed-width encoding, code-unit order is value order.
        return x < y ? -dir : x > y ? dir : 0;
      }
    }
    if (x === LOW || y === HIGH) return -1;
    if (x === HIGH || y === LOW) return 1;
    return dir * compareStored(x, y, collation);
  };
  const fieldPart = (x: unknown, y: unknown, f: number) => part(x, y, dirs[f]!);
  return { keys: keyCompare(dirs, part), part: fieldPart };
}

function keyCompare(dirs: number[], part: (x: unknown, y: unknown, dir: number) => number): (a: unknown, b: unknown) => number {
  if (dirs.length === 1) {
    const d = dirs[0]!;
    return (a, b) => part(a, b, d);
  }
  if (dirs.length === 2) {
    const d0 = dirs[0]!;
    const d1 = dirs[1]!;
    return (a, b) => part((a as unknown[])[0], (b as unknown[])[0], d0) || part((a as unknown[])[1], (b as unknown[])[1], d1);
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

/**
 * Values of one field for key generation, appended to `out`. Returns the path prefix of the first
 * array crossed (null when none), which tells multikey and parallel arrays apart.
 * Written without closures: this runs for every index on every write.
 */
function fieldValues(doc: unknown, path: string, parts: string[] | null, out: unknown[]): string | null {
  if (parts === null) {
    const v = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[path] : undefined;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(v);
      else for (let i = 0; i < v.length; i++) out.push(storedKey(v[i]));
      return path;
    }
    out.push(storedKey(v));
    return null;
  }
  return visitPath(doc, parts, 0, out, null);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v as { _bsontype?: string })._bsontype && !(v instanceof Date) && !(v instanceof RegExp) && !(v instanceof Uint8Array);
}

function visitPath(cur: unknown, parts: string[], i: number, out: unknown[], arrayPath: string | null): string | null {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      arrayPath ??= parts.join('.');
      if (cur.length === 0) out.push(cur);
      else for (let j = 0; j < cur.length; j++) out.push(storedKey(cur[j]));
    } else out.push(storedKey(cur));
    return arrayPath;
  }
  const part = parts[i]!;
  if (Array.isArray(cur)) {
    arrayPath ??= parts.slice(0, i).join('.');
    const numeric = /^\d+$/.test(part);
    if (numeric && Number(part) < cur.length) arrayPath = visitPath(cur[Number(part)], parts, i + 1, out, arrayPath);
    let any = false;
    for (let j = 0; j < cur.length; j++) {
      const el = cur[j];
      if (isPlainObject(el)) {
        arrayPath = visitPath(el[part], parts, i + 1, out, arrayPath);
        any = true;
      }
    }
    if (!any && !numeric) out.push(null);
    return arrayPath;
  }
  if (!isPlainObject(cur)) {
    out.push(null);
    return arrayPath;
  }
  return visitPath(cur[part], parts, i + 1, out, arrayPath);
}

export interface DocKeys {
  /** Stored keys: raw values (single field) or tuples (compound); deduplicated. */
  keys: unknown[];
  /** Hash-map key of each stored key (hashKey or a tuple string), same order. */
  eq: (string | number)[];
  /** True when an array was crossed (the index becomes multikey). */
  multikey: boolean;
}

/**
 * The single key of a compound index entry without arrays. Its equality key is computed only when
 * asked for: a non-unique compound index keeps no hash map, so inserts never need it.
 */
class TupleKeys implements DocKeys {
  readonly keys: unknown[];
  readonly multikey = false;
  private eqKeys: (string | number)[] | undefined;

  constructor(
    tuple: unknown[],
    private readonly collation: Collation | null,
  ) {
    this.keys = [tuple];
  }

  get eq(): (string | number)[] {
    if (this.eqKeys) return this.eqKeys;
    const tuple = this.keys[0] as unknown[];
    const parts: string[] = new Array(tuple.length);
    for (let i = 0; i < tuple.length; i++) parts[i] = eqOfStored(tuple[i], this.collation);
    return (this.eqKeys = [tupleEqKey(parts)]);
  }
}

/** Joins per-field equality keys without ambiguity, as one flat string. */
export function tupleEqKey(parts: string[]): string {
  const pieces: string[] = ['\0('];
  for (let i = 0; i < parts.length; i++) pieces.push(String(parts[i]!.length), ':', parts[i]!);
  return pieces.join('');
}

/** Split dotted paths once per index. */
export function pathParts(fields: string[]): (string[] | null)[] {
  return fields.map((f) => (f.includes('.') ? f.split('.') : null));
}

/**
 * Keys of top-level fields holding no array (the common case), built without the per-field value
 * lists of the general path (each a fresh array: most of an insert's garbage); null otherwise.
 */
function flatKeys(doc: unknown, layout: KeyLayout, parts: (string[] | null)[]): DocKeys | null {
  const k = flatKey(doc, layout, parts);
  if (k === NOT_FLAT) return null;
  if (layout.fields.length === 1) return { keys: [k], eq: [hashOfStored(k, layout.collation)], multikey: false };
  return new TupleKeys(k as unknown[], layout.collation);
}

/** flatKey's answer for documents whose keys need the general path. */
export const NOT_FLAT: unique symbol = Symbol('not flat');

/**
 * The single stored key of a document whose indexed fields are top-level and hold no array (a
 * value, or a tuple for a compound index), or NOT_FLAT: no DocKeys structure, for the insert path.
 */
export function flatKey(doc: unknown, layout: KeyLayout, parts: (string[] | null)[]): unknown {
  if (doc === null || typeof doc !== 'object') return NOT_FLAT;
  const fields = layout.fields;
  const d = doc as Record<string, unknown>;
  if (fields.length === 1) {
    if (parts[0] !== null) return NOT_FLAT;
    const v = d[fields[0]!];
    return Array.isArray(v) ? NOT_FLAT : storedKey(v);
  }
  const tuple = new Array<unknown>(fields.length);
  for (let f = 0; f < fields.length; f++) {
    if (parts[f] !== null) return NOT_FLAT;
    const v = d[fields[f]!];
    if (Array.isArray(v)) return NOT_FLAT;
    tuple[f] = storedKey(v);
  }
  return tuple;
}

export function extractKeys(doc: unknown, layout: KeyLayout, parts: (string[] | null)[]): DocKeys {
  const flat = flatKeys(doc, layout, parts);
  if (flat) return flat;
  const { fields, collation } = layout;
  if (fields.length === 1) {
    const vals: unknown[] = [];
    const arr = fieldValues(doc, fields[0]!, parts[0]!, vals);
    if (vals.length === 1) return { keys: vals, eq: [hashOfStored(vals[0], collation)], multikey: arr !== null };
    const keys: unknown[] = [];
    const eq: (string | number)[] = [];
    const seen = new Set<string | number>();
    for (let i = 0; i < vals.length; i++) {
      const k = hashOfStored(vals[i], collation);
      if (seen.has(k)) continue;
      seen.add(k);
      keys.push(vals[i]);
      eq.push(k);
    }
    return { keys, eq, multikey: true };
  }
  const perField: unknown[][] = [];
  let arrayField: string | null = null;
  let arrayPath: string | null = null;
  let multikey = false;
  for (let f = 0; f < fields.length; f++) {
    const vals: unknown[] = [];
    const arr = fieldValues(doc, fields[f]!, parts[f]!, vals);
    if (arr !== null) {
      multikey = true;
      if (arrayPath !== null && arr !== arrayPath && !arr.startsWith(arrayPath + '.') && !arrayPath.startsWith(arr + '.')) {
        throw new MongoError(171, 'CannotIndexParallelArrays', `cannot index parallel arrays [${fields[f]}] [${arrayField}]`);
      }
      arrayPath ??= arr;
      arrayField ??= fields[f]!;
    }
    perField.push(vals);
  }
  if (!multikey) {
    const tuple = new Array<unknown>(perField.length); // exact size: it lives in the B-tree
    for (let f = 0; f < perField.length; f++) tuple[f] = perField[f]![0];
    return new TupleKeys(tuple, collation);
  }
  const perFieldEq: string[][] = [];
  for (let f = 0; f < perField.length; f++) {
    const vals = perField[f]!;
    if (vals.length === 1) {
      perFieldEq.push([eqOfStored(vals[0], collation)]);
      continue;
    }
    const seen = new Set<string>();
    const vs: unknown[] = [];
    const es: string[] = [];
    for (let i = 0; i < vals.length; i++) {
      const k = eqOfStored(vals[i], collation);
      if (seen.has(k)) continue;
      seen.add(k);
      vs.push(vals[i]);
      es.push(k);
    }
    perField[f] = vs;
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
  if (fields.length === 1) out[fields[0]!] = decodeStored(key) ?? null;
  else fields.forEach((f, i) => (out[f] = decodeStored((key as unknown[])[i]) ?? null));
  return out;
}
