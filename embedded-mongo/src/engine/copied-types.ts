/**
 * Types of values an aggregation copies under a new name. Views hold plain JS numbers, so the
 * Double 5.0 and the Int32 5 are the same value there; a field kept under its own name gets its
 * type back from the stored document (origins.ts), but `{ copy: '$d' }` or `{ $first: '$d' }`
 * produce a number that traces to no stored field. This follows bare field-path copies through the
 * pipeline statically and takes the type from the stored value at the source path.
 */
import type { Document } from 'bson';
import { getPath } from '../bson-order.js';
import { typedOrigin } from './origins.js';

/** Output field -> where its value comes from: a source path, or an array of them ($push). */
type Source = { path: string; array: boolean };

const COPYING = new Set(['$first', '$last', '$min', '$max']);
const COLLECTING = new Set(['$push', '$addToSet']);
const KEEPING = new Set(['$match', '$sort', '$limit', '$skip', '$sample']);

/** Command values arrive typed (Int32(1)): the plain value of a number or boolean flag. */
const flag = (v: unknown): unknown => (v && typeof v === 'object' && '_bsontype' in v ? Number((v as { valueOf(): unknown }).valueOf()) : v);
const included = (v: unknown) => { const f = flag(v); return f === true || (typeof f === 'number' && f !== 0); };
const excluded = (v: unknown) => { const f = flag(v); return f === false || f === 0; };

const fieldPath = (v: unknown): string | undefined =>
  typeof v === 'string' && v.startsWith('$') && !v.startsWith('$$') ? v.slice(1) : undefined;

/** Maps a path of the current stage's input back to the source document, if it is traceable. */
function resolve(path: string, copies: Map<string, Source>, identity: boolean): Source | undefined {
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const mapped = copies.get(head);
  if (mapped) return mapped.array ? (dot < 0 ? mapped : undefined) : { path: mapped.path + (dot < 0 ? '' : path.slice(dot)), array: false };
  return identity ? { path, array: false } : undefined;
}

/** Output top-level fields that are copies of source fields under another name. */
export function copiedFields(pipeline: Document[]): Map<string, Source> {
  let copies = new Map<string, Source>();
  let identity = true; // fields not in `copies` still hold the source document's own values
  for (const st of pipeline) {
    const name = Object.keys(st)[0] ?? '';
    const arg = st[name];
    if (KEEPING.has(name)) continue;
    if ((name === '$project' || name === '$addFields' || name === '$set') && arg && typeof arg === 'object') {
      const entries = Object.entries(arg as Document);
      const excluding = name === '$project' && entries.every(([k, v]) => k === '_id' || excluded(v));
      const next = name === '$project' && !excluding ? new Map<string, Source>() : new Map(copies);
      for (const [k, v] of entries) {
        if (k.includes('.')) continue;
        const p = fieldPath(v);
        const src = p !== undefined ? resolve(p, copies, identity) : undefined;
        if (src) {
          if (src.path !== k || src.array) next.set(k, src);
          else next.delete(k);
        } else if (name === '$project' && included(v) && copies.has(k)) next.set(k, copies.get(k)!);
        else next.delete(k);
      }
      copies = next;
      continue;
    }
    if (name === '$group' && arg && typeof arg === 'object') {
      const next = new Map<string, Source>();
      for (const [k, v] of Object.entries(arg as Document)) {
        if (k === '_id') {
          const p = fieldPath(v);
          const src = p !== undefined ? resolve(p, copies, identity) : undefined;
          if (src) next.set(k, src);
          continue;
        }
        if (!v || typeof v !== 'object') continue;
        const op = Object.keys(v)[0] ?? '';
        const p = fieldPath((v as Document)[op]);
        const src = p !== undefined ? resolve(p, copies, identity) : undefined;
        if (!src || src.array) continue;
        if (COPYING.has(op)) next.set(k, src);
        else if (COLLECTING.has(op)) next.set(k, { path: src.path, array: true });
      }
      copies = next;
      identity = false;
      continue;
    }
    // Any other stage may reshape documents: stop tracing.
    return new Map();
  }
  return copies;
}

/** A typed example value for each copied field, taken from the first source document holding one. */
export function copiedTypeHints(pipeline: Document[], source: Document[]): Document | undefined {
  if (source.length === 0) return undefined;
  const copies = copiedFields(pipeline);
  if (copies.size === 0) return undefined;
  const hints: Document = {};
  for (const [field, src] of copies) {
    for (const view of source) {
      const typed = typedOrigin(view);
      if (!typed) break;
      const v = getPath(typed, src.path);
      if (v === undefined || Array.isArray(v)) continue;
      // A $push collects one value per document: the example types every element.
      hints[field] = src.array ? new Proxy([], { get: (t, key) => (typeof key === 'string' && /^\d+$/.test(key) ? v : Reflect.get(t, key)) }) : v;
      break;
    }
  }
  return hints;
}
