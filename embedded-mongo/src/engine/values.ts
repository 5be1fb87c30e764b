/**
 * Two representations of a document: "typed" (every BSON class kept: Int32, Double, Long ...) for
 * storage and replies, and the "view" mingo computes on (Int32/Double and safe Longs as JS
 * numbers). Converting back consults the original typed value so untouched types survive.
 */
import { Decimal128, Double, Int32, Long, deserialize, serialize, type Document } from 'bson';
import { TYPED } from '../wire/framing.js';
import { bsonValueSize } from './bson-bytes.js';

export { TYPED };

export const typedDoc = (buf: Buffer): Document => deserialize(buf, TYPED);
/** A fresh, unaliased mingo view of a stored document (default deserialize promotes numbers). */
export const viewDoc = (buf: Buffer): Document => deserialize(buf);

const SAFE = Long.fromNumber(Number.MAX_SAFE_INTEGER);
const UNSAFE_NEG = Long.fromNumber(-Number.MAX_SAFE_INTEGER);

function isPlain(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

export function toView(v: unknown): unknown {
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Long) return v.lessThanOrEqual(SAFE) && v.greaterThanOrEqual(UNSAFE_NEG) ? v.toNumber() : v;
  if (Array.isArray(v)) return v.map(toView);
  if (isPlain(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = toView(v[k]);
    return out;
  }
  return v;
}

/** Converts a computed view value back to typed, keeping the numeric type of `orig` when possible. */
export function fromView(v: unknown, orig: unknown): unknown {
  if (typeof v === 'number') {
    if (orig instanceof Double) return new Double(v);
    if (orig instanceof Long && Number.isInteger(v)) return Long.fromNumber(v);
    if (orig instanceof Decimal128) return Decimal128.fromString(String(v));
    if (Number.isInteger(v) && (v > 2147483647 || v < -2147483648)) return Number.isSafeInteger(v) ? Long.fromNumber(v) : new Double(v);
    return Number.isInteger(v) && !Object.is(v, -0) ? new Int32(v) : new Double(v);
  }
  if (Array.isArray(v)) {
    const o = Array.isArray(orig) ? orig : [];
    return v.map((x, i) => fromView(x, o[i]));
  }
  if (isPlain(v)) {
    const o = isPlain(orig) ? orig : {};
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = fromView(v[k], o[k]);
    return out;
  }
  return v;
}

/** Numeric value of a command parameter that may arrive as Int32/Double/Long. */
export function num(v: unknown, dflt = 0): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  if (typeof (v as { valueOf?: unknown }).valueOf === 'function') return Number((v as { valueOf(): unknown }).valueOf());
  return dflt;
}

/** Values at a dotted path, descending into arrays as MongoDB does (for sort keys and distinct). */
export function valuesAt(doc: unknown, path: string[], at = 0): unknown[] {
  if (at === path.length) return [doc];
  if (Array.isArray(doc)) {
    const key = path[at]!;
    const out: unknown[] = [];
    if (/^\d+$/.test(key) && doc[Number(key)] !== undefined) out.push(...valuesAt(doc[Number(key)], path, at + 1));
    for (const el of doc) if (el && typeof el === 'object' && !Array.isArray(el)) out.push(...valuesAt(el, path, at));
    return out;
  }
  if (!doc || typeof doc !== 'object') return [];
  const next = (doc as Record<string, unknown>)[path[at]!];
  if (next === undefined) return [];
  return valuesAt(next, path, at + 1);
}

/** BSON-encodes a document as a Node Buffer (bson returns a plain Uint8Array). */
export function encode(doc: Document): Buffer {
  const u = serialize(doc);
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * MongoDB's numeric tower for arithmetic ($inc, $mul, $add, $subtract, $multiply, $sum): the result
 * has the wider type of the two operands (int32 < int64 < double < decimal128), int32 results that
 * overflow become int64, int64 results that overflow become double (aggregation) or an error
 * (update operators). Integers and decimals are computed exactly with BigInt.
 */
export type TypedNumber = Int32 | Long | Double | Decimal128;
export type ArithOp = 'add' | 'subtract' | 'multiply';

const RANK = { Int32: 0, Long: 1, Double: 2, Decimal128: 3 } as const;
const INT32_MIN = -(2n ** 31n), INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

/** The typed number a value stands for; a plain JS number is typed by its value, as on the wire. */
export function asTypedNumber(v: unknown): TypedNumber | undefined {
  if (v instanceof Int32 || v instanceof Long || v instanceof Double || v instanceof Decimal128) return v;
  if (typeof v !== 'number') return undefined;
  if (!Number.isInteger(v) || Object.is(v, -0)) return new Double(v);
  if (v >= -2147483648 && v <= 2147483647) return new Int32(v);
  return Number.isSafeInteger(v) ? Long.fromNumber(v) : new Double(v);
}

/** Thrown when an int64 result does not fit and the caller asked for an error (update operators). */
export class Int64Overflow extends Error {}

function decimalParts(v: TypedNumber): [bigint, number] {
  const s = v instanceof Decimal128 ? v.toString() : v instanceof Long ? v.toString() : String(v.valueOf()).replace('e', 'E');
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:E([+-]?\d+))?$/i.exec(s);
  if (!m) throw new Error(`cannot do decimal arithmetic on ${s}`);
  const frac = m[3] ?? '';
  return [BigInt((m[1] === '-' ? '-' : '') + ((m[2] ?? '') + frac || '0')), Number(m[4] ?? 0) - frac.length];
}

function decimalArith(op: ArithOp, a: TypedNumber, b: TypedNumber): Decimal128 {
  const [ma, ea] = decimalParts(a);
  let [mb, eb] = decimalParts(b);
  if (op === 'multiply') return Decimal128.fromString(`${ma * mb}E${ea + eb}`);
  if (op === 'subtract') mb = -mb;
  const e = Math.min(ea, eb);
  return Decimal128.fromString(`${ma * 10n ** BigInt(ea - e) + mb * 10n ** BigInt(eb - e)}E${e}`);
}

const bigOf = (v: Int32 | Long): bigint => (v instanceof Long ? BigInt(v.toString()) : BigInt(v.value));

export function typedArith(op: ArithOp, a: TypedNumber, b: TypedNumber, onInt64Overflow: 'double' | 'error' = 'double'): TypedNumber {
  const rank = Math.max(RANK[a._bsontype], RANK[b._bsontype]);
  if (rank === RANK.Decimal128) return decimalArith(op, a, b);
  if (rank === RANK.Double) {
    const x = Number(a.valueOf()), y = Number((b as { valueOf(): unknown }).valueOf());
    return new Double(op === 'add' ? x + y : op === 'subtract' ? x - y : x * y);
  }
  // Integers: JS arithmetic while it is exact (the common case), BigInt beyond 2^53.
  const nx = a instanceof Long ? a.toNumber() : (a as Int32).value, ny = b instanceof Long ? b.toNumber() : (b as Int32).value;
  const quick = op === 'add' ? nx + ny : op === 'subtract' ? nx - ny : nx * ny;
  if (Number.isSafeInteger(nx) && Number.isSafeInteger(ny) && Number.isSafeInteger(quick)) {
    if (rank === RANK.Int32 && quick >= -2147483648 && quick <= 2147483647) return new Int32(quick);
    return Long.fromNumber(quick);
  }
  const x = bigOf(a as Int32 | Long), y = bigOf(b as Int32 | Long);
  const r = op === 'add' ? x + y : op === 'subtract' ? x - y : x * y;
  if (rank === RANK.Int32 && r >= INT32_MIN && r <= INT32_MAX) return new Int32(Number(r));
  if (r >= INT64_MIN && r <= INT64_MAX) return Long.fromBigInt(r);
  if (onInt64Overflow === 'error') throw new Int64Overflow(`int64 overflow: ${String(a)} ${op} ${String(b)}`);
  return new Double(Number(r));
}

/** A typed number as the numeric view holds it (see toView): plain JS numbers where exact. */
export const viewNumber = (n: TypedNumber): unknown => toView(n);

/**
 * The BSON type byte of a top-level field of an encoded document (0x01 double, 0x10 int32, 0x12
 * int64, 0x13 decimal ...), or undefined. Reads only element headers: for per-document type
 * questions in aggregations, where decoding every document again would double the cost.
 */
export function topLevelType(buf: Buffer, name: Buffer): number | undefined {
  const end = buf.readInt32LE(0) - 1;
  let at = 4;
  while (at < end) {
    const type = buf[at]!;
    const nameEnd = buf.indexOf(0, at + 1);
    if (nameEnd - at - 1 === name.length && buf.compare(name, 0, name.length, at + 1, nameEnd) === 0) return type;
    const size = bsonValueSize(buf, type, nameEnd + 1);
    if (size < 0) return undefined;
    at = nameEnd + 1 + size;
  }
  return undefined;
}
