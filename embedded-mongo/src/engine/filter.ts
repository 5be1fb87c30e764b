/**
 * Filter compilation. Simple filters (field equality and plain comparison operators, `$and`)
 * compile straight to the typed operators; everything else goes through mingo with a cached
 * options object (building mingo's options merges every operator table: ~50 µs per query).
 */
import { Query as BaseQuery } from 'mingo/query';
import type { Document } from 'bson';
import type { Collation } from '../contracts.js';
import { typedContext } from './mingo-context.js';
import { typedQueryOps } from './query-ops.js';

type Pred = (doc: unknown) => boolean;
const SIMPLE = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$type', '$size']);
const ops = typedQueryOps as unknown as Record<string, (path: string, v: unknown, o: { collation?: Collation }) => Pred>;

const isPlainObject = (v: unknown): v is Document => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

function simple(filter: Document, collation: Collation | undefined, out: Pred[]): boolean {
  const o = { collation };
  for (const [key, v] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(v)) {
      for (const sub of v) if (!isPlainObject(sub) || !simple(sub, collation, out)) return false;
      continue;
    }
    if (key.startsWith('$')) return false;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > 0 && keys[0]!.startsWith('$')) {
        for (const k of keys) {
          if (!SIMPLE.has(k)) return false;
          out.push(ops[k]!(key, v[k], o));
        }
        continue;
      }
    }
    out.push(ops.$eq!(key, v, o));
  }
  return true;
}

/**
 * The top-level fields a simple filter (see `simple`) reads, or null for any other filter. Such a
 * filter gives the same answer on a document holding only these fields, so candidates can be
 * tested without decoding whole documents.
 */
export function filterFields(filter: Document): Set<string> | null {
  const out = new Set<string>();
  return collectFields(filter, out) ? out : null;
}

function collectFields(filter: Document, out: Set<string>): boolean {
  for (const [key, v] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(v)) {
      for (const sub of v) if (!isPlainObject(sub) || !collectFields(sub, out)) return false;
      continue;
    }
    if (key.startsWith('$')) return false;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > 0 && keys[0]!.startsWith('$') && keys.some((k) => !SIMPLE.has(k))) return false;
    }
    out.add(key.split('.')[0]!);
  }
  return true;
}

/**
 * mingo options objects, initialised once per collation (captured from inside an operator). The
 * capturing operator is registered once: mingo keeps the first registration of a name, so a second
 * `addQueryOps` with a fresh closure would never be called and every later collation would get no
 * options at all (no operators: `$or` with a collation failed as "unknown operator").
 */
const optionsCache = new Map<string, unknown>();
let captured: unknown;
let captureContext: unknown; // built on first use: typedContext's module imports this one
const capturing = () =>
  (captureContext ??= typedContext.addQueryOps({
    $__capture: (_p: string, _v: unknown, opts: unknown) => {
      captured = opts;
      return () => true;
    },
  } as never));
function mingoOptions(collation?: Collation): unknown {
  const key = collation ? JSON.stringify(collation) : '';
  let cached = optionsCache.get(key);
  if (!cached) {
    captured = undefined;
    // A throwaway query whose only operator hands us mingo's fully initialised options.
    new BaseQuery({ x: { $__capture: 1 } }, { context: capturing(), ...(collation ? { collation } : {}) } as never);
    if (!captured) throw new Error('mingo did not hand over its query options');
    cached = captured;
    optionsCache.set(key, cached);
  }
  return cached;
}

export function compileTypedFilter(filter: Document, collation?: Collation): (doc: Document) => boolean {
  const preds: Pred[] = [];
  if (simple(filter, collation, preds)) {
    if (preds.length === 1) return preds[0]!;
    return (doc) => preds.every((p) => p(doc));
  }
  const q = new BaseQuery(filter, mingoOptions(collation) as never);
  return (doc) => q.test(doc);
}
