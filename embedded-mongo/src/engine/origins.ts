/**
 * Where an aggregation's source view came from. mingo passes documents through `$match`, `$sort`,
 * `$limit`... as the same objects, so outputs that are source views can be converted back with
 * the stored document's exact BSON types, and `$type` on a field path can answer from the typed
 * document (a view cannot tell the Double 2.0 from the Int32 2).
 */
import { $type as builtinType } from 'mingo/operators/expression';
import type { Document } from 'bson';
import { getPath } from '../bson-order.js';
import { fromView, typedDoc } from './values.js';

// A symbol-keyed property rather than a WeakMap: 100k WeakMap insertions cost ~300 ms, this is
// free. Symbol keys are invisible to Object.keys, JSON and BSON serialisation.
const ORIGIN = Symbol('embedded-mongo.origin');
const TYPED = Symbol('embedded-mongo.typed');
type Tagged = { [ORIGIN]?: Buffer; [TYPED]?: Document };

export function remember(view: Document, buf: Buffer): Document {
  (view as Tagged)[ORIGIN] = buf;
  return view;
}

export const originBuffer = (view: object): Buffer | undefined => (view as Tagged)[ORIGIN];

/** The typed original of a source view, if `view` is one. */
export function typedOrigin(view: object): Document | undefined {
  const tagged = view as Tagged;
  if (tagged[TYPED]) return tagged[TYPED];
  const buf = tagged[ORIGIN];
  if (!buf) return undefined;
  return (tagged[TYPED] = typedDoc(buf));
}

const TYPE_NAMES: Record<string, string> = { Int32: 'int', Double: 'double', Long: 'long', Decimal128: 'decimal', ObjectId: 'objectId', Binary: 'binData', Timestamp: 'timestamp', MinKey: 'minKey', MaxKey: 'maxKey', BSONRegExp: 'regex', Code: 'javascript', BSONSymbol: 'symbol' };

export function typedTypeExpr(obj: unknown, expr: unknown, options: unknown): unknown {
  if (typeof expr === 'string' && expr.startsWith('$') && !expr.startsWith('$$') && obj && typeof obj === 'object') {
    const typed = typedOrigin(obj);
    if (typed) {
      const v = getPath(typed, expr.slice(1));
      const name = (v as { _bsontype?: string } | undefined)?._bsontype;
      if (name && TYPE_NAMES[name]) return TYPE_NAMES[name];
    }
  }
  return (builtinType as (o: unknown, e: unknown, opts: unknown) => unknown)(obj, expr, options);
}

const isPlain = (v: unknown): v is Document => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Converts an aggregation output back to typed values, taking each number's type from the stored
 * document it came from: source views found by reference (also nested, e.g. `$lookup` results),
 * else the `hint` (the source document with the same `_id`, when the pipeline keeps identities).
 */
export function restoreTypes(v: unknown, hint: unknown, preferHint = false): unknown {
  if (isPlain(v)) {
    const h = preferHint ? hint : typedOrigin(v) ?? hint;
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = restoreTypes(v[k], isPlain(h) ? h[k] : undefined);
    return out;
  }
  if (Array.isArray(v)) return v.map((x, i) => restoreTypes(x, Array.isArray(hint) ? hint[i] : undefined));
  return fromView(v, hint);
}
