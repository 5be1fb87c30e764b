/**
 * MongoDB's BSON comparison order and equality keys, shared by sorts (engine) and indexes.
 *
 * Order of canonical types (lowest first):
 *   MinKey < null/undefined/missing < numbers < Symbol/String < Object < Array < BinData < ObjectId
 *   < Boolean < Date < Timestamp < RegExp < Code < MaxKey
 *
 * Numbers of every BSON class compare by exact mathematical value (Long above 2^53 and Decimal128
 * included); NaN is the lowest number and equal to itself; -0 equals 0.
 */
import type { Collation } from './contracts.js';

// ---------------------------------------------------------------------------------------------
// Canonical type ranks

export const Rank = {
  MinKey: 0,
  Null: 1,
  Number: 2,
  String: 3,
  Object: 4,
  Array: 5,
  Binary: 6,
  ObjectId: 7,
  Boolean: 8,
  Date: 9,
  Timestamp: 10,
  RegExp: 11,
  Code: 12,
  MaxKey: 13,
} as const;

type BsonLike = { _bsontype?: string } & Record<string, any>;

export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return Rank.Null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return Rank.Number;
    case 'string':
      return Rank.String;
    case 'boolean':
      return Rank.Boolean;
    case 'object':
      break;
    default:
      return Rank.Null; // functions / symbols are not storable; treat as missing
  }
  const t = (v as BsonLike)._bsontype;
  if (t !== undefined) {
    switch (t) {
      case 'Int32':
      case 'Double':
      case 'Long':
      case 'Decimal128':
        return Rank.Number;
      case 'BSONSymbol':
        return Rank.String;
      case 'ObjectId':
      case 'ObjectID':
        return Rank.ObjectId;
      case 'Binary':
        return Rank.Binary;
      case 'Timestamp':
        return Rank.Timestamp;
      case 'BSONRegExp':
        return Rank.RegExp;
      case 'Code':
        return Rank.Code;
      case 'MinKey':
        return Rank.MinKey;
      case 'MaxKey':
        return Rank.MaxKey;
      case 'DBRef':
        return Rank.Object;
    }
  }
  if (Array.isArray(v)) return Rank.Array;
  if (v instanceof Date) return Rank.Date;
  if (v instanceof RegExp) return Rank.RegExp;
  if (v instanceof Uint8Array) return Rank.Binary;
  return Rank.Object;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Exact decimal form coef * 10^exp, normalised so that coef has no trailing zeros (0 => exp 0). */
interface Exact {
  coef: bigint;
  exp: number;
}

/** A number reduced to the cheapest exact representation: a JS double, a bigint, or a decimal. */
type Num = number | bigint | Exact;

/** Reduce any numeric BSON value to a Num. NaN and ±Infinity are represented as JS numbers. */
export function toNum(v: unknown): Num {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  const o = v as BsonLike;
  switch (o._bsontype) {
    case 'Int32':
    case 'Double':
      return o.value as number;
    case 'Long':
      return (o as { toBigInt(): bigint }).toBigInt();
    case 'Decimal128':
      return decimalToNum(o.toString() as string);
  }
  return NaN;
}

const decimalCache = new Map<string, Num>();

function decimalToNum(s: string): Num {
  const hit = decimalCache.get(s);
  if (hit !== undefined) return hit;
  const r = parseDecimal(s);
  if (decimalCache.size > 10000) decimalCache.clear();
  decimalCache.set(s, r);
  return r;
}

function parseDecimal(s: string): Num {
  if (s === 'NaN' || s === '-NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return NaN;
  const neg = m[1] === '-';
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let exp = Number(m[4] ?? 0) - frac.length;
  let coef = BigInt((int + frac).replace(/^0+/, '') || '0');
  if (neg) coef = -coef;
  const e = normalise({ coef, exp });
  // Integers become bigints and values exactly equal to a double become that double, so equal
  // numbers always share one representation (which equalityKey relies on).
  if (e.exp >= 0) {
    const big = e.coef * 10n ** BigInt(e.exp);
    const d = Number(big);
    return Number.isFinite(d) && BigInt(d) === big ? d : big;
  }
  const d = Number(`${e.coef}e${e.exp}`);
  if (Number.isFinite(d)) {
    const back = doubleToExact(d);
    if (back.coef === e.coef && back.exp === e.exp) return d;
  }
  return e;
}

function normalise(e: Exact): Exact {
  let { coef, exp } = e;
  if (coef === 0n) return { coef: 0n, exp: 0 };
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp++;
  }
  return { coef, exp };
}

/** Exact decimal expansion of a finite double (every double is m / 2^k = m * 5^k / 10^k). */
function doubleToExact(d: number): Exact {
  if (Number.isInteger(d)) return normalise({ coef: BigInt(d), exp: 0 });
  let k = 0;
  let m = d;
  while (!Number.isInteger(m)) {
    m *= 2; // exact: non-integers are below 2^53 so doubling never rounds
    k++;
  }
  return normalise({ coef: BigInt(m) * 5n ** BigInt(k), exp: -k });
}

function numToExact(n: Num): Exact {
  if (typeof n === 'number') return doubleToExact(n);
  if (typeof n === 'bigint') return normalise({ coef: n, exp: 0 });
  return n;
}

function compareExact(a: Exact, b: Exact): number {
  const sa = a.coef === 0n ? 0 : a.coef < 0n ? -1 : 1;
  const sb = b.coef === 0n ? 0 : b.coef < 0n ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  let ca = a.coef;
  let cb = b.coef;
  if (a.exp > b.exp) ca *= 10n ** BigInt(a.exp - b.exp);
  else if (b.exp > a.exp) cb *= 10n ** BigInt(b.exp - a.exp);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

function isNaNNum(n: Num): boolean {
  return typeof n === 'number' && n !== n;
}

export function compareNums(a: Num, b: Num): number {
  const an = isNaNNum(a);
  const bn = isNaNNum(b);
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== 'object' && tb !== 'object') {
    // JS compares number with bigint by exact mathematical value.
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  // A decimal is involved; infinities first, then exact comparison.
  if (a === Infinity || b === -Infinity) return a === b ? 0 : 1;
  if (a === -Infinity || b === Infinity) return a === b ? 0 : -1;
  return compareExact(numToExact(a), numToExact(b));
}

function numKey(n: Num): string {
  if (typeof n === 'number') {
    if (n === 0) return 'n0'; // -0 == 0
    return 'n' + n; // shortest round-trip form, also NaN / Infinity / -Infinity
  }
  if (typeof n === 'bigint') {
    const d = Number(n);
    return Number.isFinite(d) && BigInt(d) === n ? 'n' + d : 'N' + n;
  }
  // Non-integral decimal not representable as a double (parseDecimal already reduced the rest).
  return 'N' + n.coef + 'e' + n.exp;
}

// ---------------------------------------------------------------------------------------------
// Strings and collation

const collators = new Map<string, Intl.Collator>();

function collationId(c: Collation): string {
  return `${c.locale}|${c.strength ?? 3}|${c.caseLevel ? 1 : 0}|${c.numericOrdering ? 1 : 0}`;
}

/** True when the collation does anything beyond binary comparison. */
export function isSimpleCollation(c: Collation | undefined | null): boolean {
  return !c || c.locale === 'simple';
}

export function sameCollation(a: Collation | undefined | null, b: Collation | undefined | null): boolean {
  if (isSimpleCollation(a)) return isSimpleCollation(b);
  if (isSimpleCollation(b)) return false;
  return collationId(a!) === collationId(b!);
}

const collatorByObject = new WeakMap<object, Intl.Collator>();

export function getCollator(c: Collation): Intl.Collator {
  const cached = collatorByObject.get(c);
  if (cached) return cached;
  const id = collationId(c);
  let col = collators.get(id);
  if (!col) {
    const strength = c.strength ?? 3;
    const sensitivity: Intl.CollatorOptions['sensitivity'] =
      strength <= 1 ? (c.caseLevel ? 'case' : 'base') : strength === 2 ? 'accent' : 'variant';
    let locale = c.locale;
    try {
      new Intl.Collator(locale);
    } catch {
      locale = 'en';
    }
    col = new Intl.Collator(locale, { sensitivity, numeric: !!c.numericOrdering, usage: 'sort' });
    collators.set(id, col);
  }
  collatorByObject.set(c, col);
  return col;
}

const MARKS = /\p{M}/gu;

/**
 * Folds a string so that strings equal under the collation map to the same folded string:
 * strength 1 drops accents and case, strength 2 drops case only. Strength 3 keeps the string.
 */
export function foldString(s: string, c: Collation | undefined | null): string {
  if (isSimpleCollation(c)) return s;
  const strength = c!.strength ?? 3;
  if (strength >= 3) return s.normalize('NFC');
  if (strength === 2) return s.normalize('NFC').toLowerCase();
  const noAccents = s.normalize('NFD').replace(MARKS, '');
  return c!.caseLevel ? noAccents : noAccents.toLowerCase();
}

export function binaryStringCompare(a: string, b: string): number {
  // UTF-16 code unit order differs from UTF-8 byte order only for astral vs U+E000..U+FFFF.
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Map surrogates above U+E000..U+FFFF so that astral characters sort last, as in UTF-8.
      if (x >= 0xd800 && x <= 0xdfff) x += 0x2000;
      else if (x >= 0xe000) x -= 0x800;
      if (y >= 0xd800 && y <= 0xdfff) y += 0x2000;
      else if (y >= 0xe000) y -= 0x800;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : String((v as BsonLike).value);
}

// ---------------------------------------------------------------------------------------------
// Generic comparison

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const b = v as BsonLike;
  if (b._bsontype === 'Binary') return (b.buffer as Uint8Array).subarray(0, b.position as number);
  return (b.id as Uint8Array) ?? new Uint8Array();
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as BsonLike;
  return [r.pattern as string, r.options as string];
}

function objectEntries(v: unknown): [string, unknown][] {
  const o = v as BsonLike;
  if (o._bsontype === 'DBRef') {
    const e: [string, unknown][] = [['$ref', o.collection], ['$id', o.oid]];
    if (o.db) e.push(['$db', o.db]);
    for (const [k, x] of Object.entries(o.fields ?? {})) e.push([k, x]);
    return e;
  }
  return Object.entries(o);
}

const cmp = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

/** MongoDB's comparison of two BSON values: negative, zero or positive. */
export function compareValues(a: unknown, b: unknown, collation?: Collation | null): number {
  // Fast paths for the commonest index keys.
  if (typeof a === 'string' && typeof b === 'string') {
    return isSimpleCollation(collation) ? binaryStringCompare(a, b) : getCollator(collation!).compare(a, b);
  }
  if (typeof a === 'number' && typeof b === 'number' && a === a && b === b) return a < b ? -1 : a > b ? 1 : 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case Rank.Null:
    case Rank.MinKey:
    case Rank.MaxKey:
      return 0;
    case Rank.Number: {
      if (typeof a === 'number' && typeof b === 'number') {
        if (a < b) return -1;
        if (a > b) return 1;
        if (a === b) return 0;
        return compareNums(a, b); // NaN involved
      }
      return compareNums(toNum(a), toNum(b));
    }
    case Rank.String: {
      const sa = stringOf(a);
      const sb = stringOf(b);
      if (!isSimpleCollation(collation)) return getCollator(collation!).compare(sa, sb);
      return binaryStringCompare(sa, sb);
    }
    case Rank.Object: {
      const ea = objectEntries(a);
      const eb = objectEntries(b);
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const [ka, va] = ea[i]!;
        const [kb, vb] = eb[i]!;
        const tr = cmp(typeRank(va), typeRank(vb));
        if (tr !== 0) return tr;
        const kc = binaryStringCompare(ka, kb);
        if (kc !== 0) return kc;
        const vc = compareValues(va, vb, collation);
        if (vc !== 0) return vc;
      }
      return cmp(ea.length, eb.length);
    }
    case Rank.Array: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(xa[i], xb[i], collation);
        if (c !== 0) return c;
      }
      return cmp(xa.length, xb.length);
    }
    case Rank.Binary: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return cmp(ba.length, bb.length);
      const sa = (a as BsonLike).sub_type ?? 0;
      const sb = (b as BsonLike).sub_type ?? 0;
      if (sa !== sb) return cmp(sa, sb);
      return compareBytes(ba, bb);
    }
    case Rank.ObjectId: {
      const oa = a as BsonLike;
      const ob = b as BsonLike;
      if (typeof oa.i0 === 'number' && typeof ob.i0 === 'number') {
        // 24-bit big-endian chunks: numeric order per chunk is byte order.
        return cmp(oa.i0, ob.i0) || cmp(oa.i1, ob.i1) || cmp(oa.i2, ob.i2) || cmp(oa.i3, ob.i3);
      }
      return compareBytes(bytesOf(a), bytesOf(b));
    }
    case Rank.Boolean:
      return a === b ? 0 : a ? 1 : -1;
    case Rank.Date:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case Rank.Timestamp: {
      const ta = a as BsonLike;
      const tb = b as BsonLike;
      return cmp(ta.t, tb.t) || cmp(ta.i, tb.i);
    }
    case Rank.RegExp: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      return binaryStringCompare(pa, pb) || binaryStringCompare(fa, fb);
    }
    case Rank.Code:
      return binaryStringCompare(String((a as BsonLike).code), String((b as BsonLike).code));
  }
  return 0;
}

/** Equality under MongoDB semantics (what `{ field: value }` matching uses, minus array traversal). */
export function valuesEqual(a: unknown, b: unknown, collation?: Collation | null): boolean {
  return compareValues(a, b, collation) === 0;
}

// ---------------------------------------------------------------------------------------------
// Equality keys

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

/**
 * ObjectId as a flat 13-char string (one String.fromCharCode call, so V8 allocates a flat string
 * rather than a rope: cheaper to hash and a third of the size of a hex key).
 */
export function objectIdKey(v: unknown, tag: number, tag0 = -1): string {
  const o = v as BsonLike;
  if (typeof o.i0 === 'number') {
    // bson >= 7 keeps an ObjectId as four 24-bit integers; reading them avoids allocating a Buffer.
    const { i0, i1, i2, i3 } = o as { i0: number; i1: number; i2: number; i3: number };
    const bytes = [(i0 >>> 16) & 255, (i0 >>> 8) & 255, i0 & 255, (i1 >>> 16) & 255, (i1 >>> 8) & 255, i1 & 255, (i2 >>> 16) & 255, (i2 >>> 8) & 255, i2 & 255, (i3 >>> 16) & 255, (i3 >>> 8) & 255, i3 & 255] as const;
    return tag0 >= 0 ? String.fromCharCode(tag0, tag, ...bytes) : String.fromCharCode(tag, ...bytes);
  }
  const b = bytesOf(v);
  if (b.length !== 12) return (tag0 >= 0 ? String.fromCharCode(tag0, tag) : String.fromCharCode(tag)) + hex(b);
  if (tag0 >= 0) return String.fromCharCode(tag0, tag, b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!);
  return String.fromCharCode(tag, b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!);
}

/**
 * Date as a flat string of four 16-bit chunks, big-endian, of (high + 2^21, low) where
 * ms = high * 2^32 + low. Exact for every valid date (|ms| <= 8.64e15), and code-unit order of the
 * chunks is date order.
 */
export function dateKey(d: Date, tag: number, tag0 = -1): string {
  const ms = d.getTime();
  if (ms !== ms) return (tag0 >= 0 ? String.fromCharCode(tag0, tag) : String.fromCharCode(tag)) + 'NaN';
  const high = Math.floor(ms / 4294967296);
  const low = ms - high * 4294967296;
  const h = high + 2097152;
  const c3 = Math.floor(h / 65536);
  const c2 = h % 65536;
  const c1 = Math.floor(low / 65536);
  const c0 = low % 65536;
  return tag0 >= 0 ? String.fromCharCode(tag0, tag, c3, c2, c1, c0) : String.fromCharCode(tag, c3, c2, c1, c0);
}

/** Inverse of dateKey's payload (the four chunks starting at `at`). */
export function dateFromKey(key: string, at: number): Date {
  const h = key.charCodeAt(at) * 65536 + key.charCodeAt(at + 1);
  const low = key.charCodeAt(at + 2) * 65536 + key.charCodeAt(at + 3);
  return new Date((h - 2097152) * 4294967296 + low);
}

/**
 * Hash-map key for one value in an index: equal exactly when equalityKey is equal, but cheaper.
 * Strings are used as they are (no copy: the key shares the document's string), numbers exactly
 * representable as doubles are JS numbers (Map treats 0/-0 and NaN/NaN as equal, like MongoDB),
 * and every other type is a string starting with NUL plus a type tag. A real string that starts
 * with NUL gets one more NUL in front, so the two families never collide.
 */
export function hashKey(v: unknown, collation?: Collation | null): string | number {
  if (typeof v === 'string') {
    const s = collation ? foldString(v, collation) : v;
    return s.charCodeAt(0) === 0 ? '\0\0' + s : s;
  }
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v === null || v === undefined) return '\0z';
  const t = (v as BsonLike)._bsontype;
  if (t === 'ObjectId' || t === 'ObjectID') return objectIdKey(v, 105, 0);
  if (t === 'Int32' || t === 'Double') {
    const n = (v as BsonLike).value as number;
    return n === 0 ? 0 : n;
  }
  if (v instanceof Date) return dateKey(v, 100, 0);
  const rank = typeRank(v);
  if (rank === Rank.Number) {
    const k = numKey(toNum(v));
    return k.charCodeAt(0) === 110 /* n */ ? Number(k.slice(1)) : '\0' + k;
  }
  if (rank === Rank.String) return hashKey(stringOf(v), collation);
  return '\0' + equalityKey(v, collation);
}

/**
 * A compact string such that equalityKey(a) === equalityKey(b) exactly when MongoDB considers the
 * two values equal (as whole values). The first character is the canonical type.
 */
export function equalityKey(v: unknown, collation?: Collation | null): string {
  if (typeof v === 'string') return 's' + (collation ? foldString(v, collation) : v);
  if (typeof v === 'number') return v === 0 ? 'n0' : 'n' + v;
  if (v === null || v === undefined) return 'z';
  const rank = typeRank(v);
  switch (rank) {
    case Rank.Number:
      return numKey(toNum(v));
    case Rank.String:
      return 's' + foldString(stringOf(v), collation);
    case Rank.ObjectId:
      return objectIdKey(v, 105 /* i */);
    case Rank.Boolean:
      return v ? 'T' : 'F';
    case Rank.Date:
      return dateKey(v as Date, 100 /* d */);
    case Rank.MinKey:
      return '<';
    case Rank.MaxKey:
      return '>';
    case Rank.Binary:
      return 'b' + ((v as BsonLike).sub_type ?? 0) + ':' + hex(bytesOf(v));
    case Rank.Timestamp:
      return 't' + (v as BsonLike).t + ':' + (v as BsonLike).i;
    case Rank.RegExp: {
      const [p, f] = regexParts(v);
      return 'r' + f + '/' + p;
    }
    case Rank.Code:
      return 'c' + String((v as BsonLike).code);
    case Rank.Array: {
      // Length-prefixed parts keep the encoding unambiguous.
      let s = 'a';
      for (const x of v as unknown[]) {
        const k = equalityKey(x, collation);
        s += k.length + ':' + k;
      }
      return s;
    }
    default: {
      let s = 'o';
      for (const [name, x] of objectEntries(v)) {
        const k = equalityKey(x, collation);
        s += name.length + ':' + name + k.length + ':' + k;
      }
      return s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Paths

/**
 * Values reached by a dotted path, traversing arrays like MongoDB does: `a.b` on
 * `{ a: [{ b: 1 }, { b: 2 }] }` yields [1, 2]. A numeric component also indexes into an array.
 * Terminal arrays are returned as arrays (not expanded). Branches where the path ends early yield
 * `undefined` (missing) so that callers can index them as null.
 */
export function getPathValues(doc: unknown, path: string): unknown[] {
  if (path.indexOf('.') < 0) {
    const v = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[path] : undefined;
    return [v];
  }
  const out: unknown[] = [];
  walkPath(doc, path.split('.'), 0, out);
  return out;
}

function walkPath(cur: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(cur);
    return;
  }
  if (cur === null || typeof cur !== 'object' || typeRank(cur) !== (Array.isArray(cur) ? Rank.Array : Rank.Object)) {
    out.push(undefined);
    return;
  }
  const part = parts[i]!;
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(part)) {
      const idx = Number(part);
      if (idx < cur.length) walkPath(cur[idx], parts, i + 1, out);
      else out.push(undefined);
    }
    for (const el of cur) {
      if (el !== null && typeof el === 'object' && !Array.isArray(el) && typeRank(el) === Rank.Object) {
        walkPath((el as Record<string, unknown>)[part], parts, i + 1, out);
      }
    }
    if (cur.length === 0) out.push(undefined);
    return;
  }
  walkPath((cur as Record<string, unknown>)[part], parts, i + 1, out);
}

/** First value at a dotted path without array traversal semantics beyond numeric indexes. */
export function getPath(doc: unknown, path: string): unknown {
  const vals = getPathValues(doc, path);
  return vals.length === 1 ? vals[0] : vals.length === 0 ? undefined : vals;
}

/**
 * The value MongoDB sorts a document by for one sort field: for arrays (and multi-valued paths)
 * the smallest element when ascending, the largest when descending; missing sorts as null.
 */
export function sortKeyValue(doc: unknown, path: string, direction: 1 | -1, collation?: Collation | null): unknown {
  const vals = getPathValues(doc, path);
  let best: unknown = undefined;
  let have = false;
  const consider = (x: unknown) => {
    if (!have || compareValues(x, best, collation) * direction < 0) {
      best = x;
      have = true;
    }
  };
  for (const v of vals) {
    if (Array.isArray(v)) {
      if (v.length === 0) consider(undefined);
      else for (const el of v) consider(el);
    } else consider(v);
  }
  return best === undefined ? null : best;
}

/** Comparator for a sort specification such as { a: 1, 'b.c': -1 }. */
export function makeSortComparator(sort: Record<string, unknown>, collation?: Collation | null): (a: unknown, b: unknown) => number {
  const fields = Object.entries(sort).map(([k, d]) => [k, Number(d) < 0 ? -1 : 1] as [string, 1 | -1]);
  return (a, b) => {
    for (const [path, dir] of fields) {
      const c = compareValues(sortKeyValue(a, path, dir, collation), sortKeyValue(b, path, dir, collation), collation);
      if (c !== 0) return c * dir;
    }
    return 0;
  };
}
