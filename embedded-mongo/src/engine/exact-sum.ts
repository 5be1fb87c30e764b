/** `$sum` accumulator that stays exact when int64 beyond 2^53 or Decimal128 values take part. */
import { $push, $sum } from 'mingo/operators/accumulator';
import { Decimal128, Long } from 'bson';

function decimalAdd(a: Decimal128, b: Decimal128): Decimal128 {
  const parts = (d: Decimal128): [bigint, number] => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:E([+-]?\d+))?$/i.exec(d.toString());
    if (!m) return [0n, 0];
    const frac = m[3] ?? '';
    return [BigInt((m[1] === '-' ? '-' : '') + ((m[2] ?? '') + frac || '0')), Number(m[4] ?? 0) - frac.length];
  };
  const [ma, ea] = parts(a), [mb, eb] = parts(b);
  const e = Math.min(ea, eb);
  return Decimal128.fromString(`${ma * 10n ** BigInt(ea - e) + mb * 10n ** BigInt(eb - e)}E${e}`);
}

const asDecimal = (v: unknown): Decimal128 => (v instanceof Decimal128 ? v : Decimal128.fromString(String(v instanceof Long ? v.toString() : v)));

/** `$sum` that stays exact when int64 beyond 2^53 or Decimal128 values take part. */
export function exactSum(collection: unknown[], expr: unknown, options: never): unknown {
  const values = ($push as (c: unknown[], e: unknown, o: never) => unknown[])(collection, expr, options);
  const special = values.some((v) => v instanceof Long || v instanceof Decimal128);
  if (!special) return ($sum as (c: unknown[], e: unknown, o: never) => unknown)(collection, expr, options);
  if (values.some((v) => v instanceof Decimal128)) {
    return values.reduce<Decimal128>((acc, v) => (typeof v === 'number' || v instanceof Long || v instanceof Decimal128 ? decimalAdd(acc, asDecimal(v)) : acc), Decimal128.fromString('0'));
  }
  let total = Long.ZERO;
  let double = 0;
  for (const v of values) {
    if (v instanceof Long) total = total.add(v);
    else if (typeof v === 'number') Number.isInteger(v) ? (total = total.add(Long.fromNumber(v))) : (double += v);
  }
  return double ? total.toNumber() + double : total;
}

