/**
 * Update rules mingo's updater does not enforce or support, applied before it runs:
 * PathNotViable through scalars, array operators on non-arrays, unused arrayFilters
 * identifiers, `$[]` nested any number of times, and `$currentDate` with `$type: 'timestamp'`.
 */
import { Timestamp, type Document } from 'bson';
import { Codes, MongoError } from '../errors.js';
import { equalityKey } from './ordering.js';

const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

function bsonTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  const t = (v as { _bsontype?: string })?._bsontype;
  if (t === 'Int32') return 'int';
  if (t) return t.toLowerCase();
  if (v instanceof Date) return 'date';
  return 'object';
}

const isContainer = (v: unknown) => v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);

/** Throws PathNotViable when a path goes through a scalar; returns the value at the path. */
function walk(doc: Document, path: string): { value: unknown; blocked: boolean } {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.startsWith('$')) return { value: undefined, blocked: true };
    if (cur === undefined || cur === null) return { value: undefined, blocked: false };
    if (!isContainer(cur)) {
      const prev = parts.slice(0, i).join('.');
      throw new MongoError(28, 'PathNotViable', `Cannot create field '${p}' in element {${prev}: ${JSON.stringify(cur)}}`);
    }
    cur = (cur as Record<string, unknown>)[p];
  }
  return { value: cur, blocked: false };
}

/** Expands `a.$[].b` into concrete indexes against the current document. */
function expandAll(doc: unknown, parts: string[], at = 0, prefix: string[] = []): string[] {
  if (at === parts.length) return [prefix.join('.')];
  const p = parts[at]!;
  if (p !== '$[]') {
    const next = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)[p] : undefined;
    return expandAll(next, parts, at + 1, [...prefix, p]);
  }
  if (!Array.isArray(doc)) return [];
  return doc.flatMap((el, i) => expandAll(el, parts, at + 1, [...prefix, String(i)]));
}

function checkConflicts(mods: Document): void {
  const seen: string[] = [];
  for (const [op, spec] of Object.entries(mods)) {
    if (!spec || typeof spec !== 'object') continue;
    const paths = Object.keys(spec as Document);
    if (op === '$rename') paths.push(...Object.values(spec as Document).map(String));
    for (const p of paths) {
      for (const q of seen) {
        if (p === q || p.startsWith(q + '.') || q.startsWith(p + '.')) {
          throw new MongoError(Codes.ConflictingUpdateOperators, 'ConflictingUpdateOperators', `Updating the path '${p}' would create a conflict at '${q.length < p.length ? q : p}'`);
        }
      }
      seen.push(p);
    }
  }
}

/** `$addToSet` with MongoDB equality (field order matters, 1 == 1.0), as a `$set` of the array. */
function addToSet(doc: Document, spec: Document, out: Document): Document {
  const rest: Document = {};
  for (const [path, v] of Object.entries(spec)) {
    if (path.includes('$')) { rest[path] = v; continue; }
    const cur = walk(doc, path).value;
    const arr = Array.isArray(cur) ? [...cur] : [];
    const keys = new Set(arr.map((x) => equalityKey(x)));
    const each = v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && '$each' in (v as Document) ? ((v as Document).$each as unknown[]) : [v];
    for (const x of each) {
      const k = equalityKey(x);
      if (!keys.has(k)) { keys.add(k); arr.push(x); }
    }
    if (cur !== undefined && arr.length === (cur as unknown[]).length) continue; // no-op keeps nModified 0
    out.$set = { ...(out.$set as Document | undefined), [path]: arr };
  }
  return rest;
}

export function prepareModifiers(doc: Document, mods: Document, arrayFilters: Document[] | undefined, clock: () => Timestamp): Document {
  checkConflicts(mods);
  const used = new Set<string>();
  for (const [op, spec] of Object.entries(mods)) {
    if (!spec || typeof spec !== 'object') continue;
    for (const path of Object.keys(spec as Document)) {
      for (const m of path.matchAll(/\$\[(\w+)\]/g)) used.add(m[1]!);
      if (op === '$unset' || op === '$rename') continue;
      const { value, blocked } = walk(doc, path);
      if (blocked || value === undefined) continue;
      if (ARRAY_OPS.has(op) && !Array.isArray(value)) {
        const what = op === '$pull' || op === '$pullAll' ? `Cannot apply ${op} to a non-array value` : `The field '${path}' must be an array but is of type ${bsonTypeName(value)} in document {_id: ${JSON.stringify(doc._id)}}`;
        throw new MongoError(Codes.BadValue, 'BadValue', what);
      }
    }
  }
  for (const f of arrayFilters ?? []) {
    const id = Object.keys(f)[0]?.split('.')[0];
    if (id && !used.has(id)) throw new MongoError(Codes.FailedToParse, 'FailedToParse', `The array filter for identifier '${id}' was not used in the update ${JSON.stringify(mods)}`);
  }
  const out: Document = {};
  for (const [op, spec] of Object.entries(mods)) {
    if (!spec || typeof spec !== 'object') { out[op] = spec; continue; }
    const next: Document = {};
    for (const [path, v] of Object.entries(spec as Document)) {
      const parts = path.split('.');
      if (parts.includes('$[]') && !/\$\[\w+\]|\.\$(\.|$)/.test(path)) {
        for (const p of expandAll(doc, parts)) next[p] = v;
      } else next[path] = v;
    }
    if (op === '$addToSet') {
      const rest = addToSet(doc, next, out);
      if (Object.keys(rest).length) out.$addToSet = rest;
      continue;
    }
    if (op === '$currentDate') {
      out.$set = { ...(out.$set as Document | undefined) };
      for (const [path, v] of Object.entries(next)) {
        const ts = v && typeof v === 'object' && (v as Document).$type === 'timestamp';
        (out.$set as Document)[path] = ts ? clock() : new Date();
      }
      continue;
    }
    out[op] = op === '$set' && out.$set ? { ...(out.$set as Document), ...next } : next;
  }
  return out;
}
