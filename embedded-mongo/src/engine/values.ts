/**
 * Two representations of a document: "typed" (every BSON class kept: Int32, Double, Long ...) for
 * storage and replies, and the "view" mingo computes on (Int32/Double and safe Longs as JS
 * numbers). Converting back consults the original typed value so untouched types survive.
 */
import { Decimal128, Double, Int32, Long, deserialize, serialize, type Document } from 'bson';
import { TYPED } from '../wire/framing.js';

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
