/**
 * Aggregation arithmetic with MongoDB's result types ($add, $subtract, $multiply, $sum).
 *
 * Views hold plain JS numbers, where the Double 6.0 and the Int32 6 are the same value, and mingo's
 * own operators refuse Decimal128 and int64 beyond 2^53. So:
 *  - `$add`/`$subtract`/`$multiply` are replaced everywhere by exact versions that accept those
 *    classes and answer in the view's convention (plain numbers where exact);
 *  - in the last stage that computes fields (followed only by $sort/$skip/$limit/plain $project or
 *    $unset), `typeFinalArithmetic` rewrites them and `$sum` into `$__t*` variants that return BSON
 *    classes (Int32/Long/Double/Decimal128), so a whole-number Double result stays a Double on the
 *    wire. Only there: these objects then go straight to the reply and never meet mingo operators
 *    that expect plain numbers. A field-path operand takes its type from the stored document.
 */
import { evalExpr } from 'mingo/core';
import { $push } from 'mingo/operators/accumulator';
import { $add as mingoAdd, $multiply as mingoMultiply, $subtract as mingoSubtract } from 'mingo/operators/expression';
import { Double, Int32, Long, type Document } from 'bson';
import { getPath } from '../bson-order.js';
import { originBuffer, typedOrigin } from './origins.js';
import { asTypedNumber, topLevelType, typedArith, viewNumber, type ArithOp, type TypedNumber } from './values.js';

type Expr = (obj: unknown, expr: unknown, options: never) => unknown;
const BUILTIN: Record<ArithOp, Expr> = { add: mingoAdd as Expr, subtract: mingoSubtract as Expr, multiply: mingoMultiply as Expr };

const isFieldPath = (e: unknown): e is string => typeof e === 'string' && e.startsWith('$') && !e.startsWith('$$');

const INT = 0, LONG = 1, DOUBLE = 2;
const nameBytes = new Map<string, Buffer>();
function fieldName(path: string): Buffer {
  let b = nameBytes.get(path);
  if (!b) nameBytes.set(path, (b = Buffer.from(path, 'utf8')));
  return b;
}

/** Type of a whole-number view value at a top-level field, read from the stored bytes. */
function storedKind(doc: unknown, field: Buffer | undefined): number {
  const buf = field && doc && typeof doc === 'object' ? originBuffer(doc) : undefined;
  const t = buf ? topLevelType(buf, field!) : undefined;
  return t === 0x01 ? DOUBLE : t === 0x12 ? LONG : INT;
}

/** An operand's value v, typed: from the stored document for a field path, else by its value. */
function typedValue(obj: unknown, e: unknown, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (!Number.isInteger(v)) return new Double(v);
  if (isFieldPath(e) && obj && typeof obj === 'object') {
    const path = e.slice(1);
    if (!path.includes('.')) {
      // A top-level field: its type byte is read from the stored bytes, no second decode.
      const kind = storedKind(obj, fieldName(path));
      return kind === DOUBLE ? new Double(v) : kind === LONG ? Long.fromNumber(v) : asTypedNumber(v);
    }
    const typed = typedOrigin(obj);
    const t = asTypedNumber(typed ? getPath(typed, path) : undefined);
    if (t && Number(t.valueOf()) === v) return t;
  }
  return asTypedNumber(v);
}

const operand = (obj: unknown, e: unknown, options: never): unknown => typedValue(obj, e, evalExpr(obj as never, e as never, options));

/** Folds typed operands; undefined means "let mingo answer" (dates, non-numbers: its errors). */
function fold(op: ArithOp, values: unknown[]): TypedNumber | null | undefined {
  let acc: TypedNumber | undefined;
  for (const v of values) {
    if (v === null || v === undefined) return null;
    const t = asTypedNumber(v);
    if (!t) return undefined;
    acc = acc === undefined ? t : typedArith(op, acc, t);
  }
  return acc;
}

function arith(op: ArithOp, typedOut: boolean): Expr {
  return (obj, expr, options) => {
    const list = Array.isArray(expr) ? expr : [expr];
    const values = list.map((e) => (typedOut ? operand(obj, e, options) : evalExpr(obj as never, e as never, options)));
    // Plain numbers only: mingo's own operator is exact enough and fastest.
    if (!typedOut && values.every((v) => typeof v === 'number')) return BUILTIN[op](obj, expr, options);
    const r = fold(op, values);
    if (r === undefined) {
      const out = BUILTIN[op](obj, expr, options);
      // date - date is a number of milliseconds, an int64 in MongoDB.
      return typedOut && typeof out === 'number' ? Long.fromNumber(out) : out;
    }
    if (r === null) return null;
    return typedOut ? r : viewNumber(r);
  };
}

/** Sums typed numbers exactly (BigInt / decimal), ignoring non-numbers, as `$sum` does. */
function exactTotal(values: unknown[]): TypedNumber {
  let acc: TypedNumber = asTypedNumber(0)!;
  for (const v of values) {
    const t = asTypedNumber(v);
    if (t) acc = typedArith('add', acc, t);
  }
  return acc;
}

/**
 * `$sum` over a $group's documents, typed. The common case (plain view numbers whose sum stays
 * within 2^53) adds JS numbers and only tracks the widest type, reading a whole number's stored
 * type from the document bytes; anything else (Long / Decimal128 objects, typed results of nested
 * arithmetic, dotted paths, sums beyond 2^53) goes through the exact path.
 */
function groupTotal(docs: unknown[], expr: unknown, raw: unknown[]): TypedNumber {
  const path = isFieldPath(expr) ? expr.slice(1) : undefined;
  if (path?.includes('.')) return exactTotal(raw.map((v, i) => typedValue(docs[i], expr, v)));
  const field = path !== undefined ? fieldName(path) : undefined;
  let kind = INT;
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v !== 'number') {
      if (v !== null && v !== undefined && typeof v === 'object') return exactTotal(raw.map((x, j) => typedValue(docs[j], expr, x)));
      continue; // strings, booleans, null: ignored by $sum
    }
    if (kind < DOUBLE) kind = Number.isInteger(v) ? Math.max(kind, storedKind(docs[i], field)) : DOUBLE;
    total += v;
  }
  if (kind === DOUBLE) return new Double(total);
  if (!Number.isSafeInteger(total)) return exactTotal(raw.map((v, i) => typedValue(docs[i], expr, v)));
  return kind === INT && total >= -2147483648 && total <= 2147483647 ? new Int32(total) : Long.fromNumber(total);
}

/** `$sum` typed: over a $group's documents (obj is the group) or over an expression's operands. */
const typedSum: Expr = (obj, expr, options) => {
  if (Array.isArray(obj)) {
    if (typeof expr === 'number') return exactTotal([obj.length * expr].map((n) => (Number.isInteger(expr) ? n : new Double(n))));
    // mingo's $push evaluates expr with each document as $$ROOT.
    return groupTotal(obj, expr, ($push as Expr)(obj, expr, options) as unknown[]);
  }
  if (Array.isArray(expr)) return exactTotal(expr.map((e) => operand(obj, e, options)));
  const v = operand(obj, expr, options);
  return exactTotal(Array.isArray(v) ? v : [v]);
};

export const exactArithmeticOps = {
  $add: arith('add', false),
  $subtract: arith('subtract', false),
  $multiply: arith('multiply', false),
  $__tadd: arith('add', true),
  $__tsubtract: arith('subtract', true),
  $__tmultiply: arith('multiply', true),
  $__tsum: typedSum,
};

const TYPED_NAMES: Record<string, string> = { $add: '$__tadd', $subtract: '$__tsubtract', $multiply: '$__tmultiply', $sum: '$__tsum' };

const isPlainObject = (v: unknown): v is Document => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Rewrites arithmetic at the top of a field expression, and inside it, into the typed variants. */
function typedExpr(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && TYPED_NAMES[keys[0]!]) {
    const args = v[keys[0]!];
    return { [TYPED_NAMES[keys[0]!]!]: Array.isArray(args) ? args.map(typedExpr) : typedExpr(args) };
  }
  if (keys.some((k) => k.startsWith('$'))) return v;
  // A nested document of fields, e.g. $project: { totals: { a: { $add: [...] } } }.
  return Object.fromEntries(keys.map((k) => [k, typedExpr(v[k])]));
}

const isFlag = (v: unknown) => typeof v === 'boolean' || typeof v === 'number';
const passesValuesThrough = (st: Document): boolean => {
  const name = Object.keys(st)[0];
  if (name === '$sort' || name === '$skip' || name === '$limit' || name === '$unset') return true;
  return name === '$project' && Object.values(st.$project as Document).every(isFlag);
};

export function typeFinalArithmetic(stages: Document[]): Document[] {
  let last = stages.length - 1;
  while (last >= 0 && passesValuesThrough(stages[last]!)) last--;
  const st = stages[last];
  if (!st) return stages;
  const name = Object.keys(st)[0]!;
  const spec = st[name] as Document;
  let typed: Document;
  if (name === '$project' || name === '$addFields' || name === '$set') {
    typed = { [name]: Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, typedExpr(v)])) };
  } else if (name === '$group') {
    typed = { $group: Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, k === '_id' ? v : typedExpr(v)])) };
  } else return stages;
  return [...stages.slice(0, last), typed, ...stages.slice(last + 1)];
}
