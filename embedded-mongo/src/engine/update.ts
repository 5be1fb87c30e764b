/**
 * Applying an update to one document: operator updates through mingo's updater on the view,
 * replacement and pipeline updates, upsert seeding, `$setOnInsert`, `_id` immutability and exact
 * int64/Decimal128 arithmetic for `$inc`/`$mul` (mingo only knows JS numbers).
 */
import { Aggregator, update as mingoUpdate } from 'mingo';
import { Decimal128, Double, Int32, Long, ObjectId, Timestamp, type Document } from 'bson';
import { prepareModifiers } from './update-checks.js';
import { Codes, MongoError } from '../errors.js';
import { compareValues, equalityKey } from './ordering.js';
import { asTypedNumber, fromView, Int64Overflow, toView, typedArith } from './values.js';

const OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$rename', '$setOnInsert', '$min', '$max', '$currentDate', '$push', '$addToSet', '$pop', '$pull', '$pullAll', '$bit']);

export interface UpdateOptions {
  arrayFilters?: Document[];
  filter?: Document;
  /** True when the update creates the document (upsert insert): `$setOnInsert` applies. */
  inserting?: boolean;
  /** Cluster clock for `$currentDate: {$type: 'timestamp'}`. */
  clock?: () => Timestamp;
}

export function isOperatorUpdate(u: Document | Document[]): boolean {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

const isNumeric = (v: unknown) => typeof v === 'number' || v instanceof Int32 || v instanceof Double || v instanceof Long || v instanceof Decimal128;

/**
 * Rewrites `$inc`/`$mul` into `$set`s computed on the typed document, so the result has MongoDB's
 * type (wider operand type, int32 overflow to int64, exact int64/Decimal128); see typedArith.
 * Positional paths are left to mingo.
 */
function exactArithmetic(doc: Document, mods: Document): Document {
  for (const op of ['$inc', '$mul'] as const) {
    const spec = mods[op] as Document | undefined;
    if (!spec) continue;
    for (const [path, by] of Object.entries(spec)) {
      if (path.includes('$')) continue;
      const cur = getPath(doc, path);
      if (!isNumeric(by)) throw new MongoError(Codes.TypeMismatch, 'TypeMismatch', `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(by)}}`);
      if (cur !== undefined && !isNumeric(cur)) {
        throw new MongoError(Codes.TypeMismatch, 'TypeMismatch', `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${typeof cur}`);
      }
      // A missing field: $inc sets the increment, $mul sets 0, both of the argument's type.
      const base = asTypedNumber(cur) ?? new Int32(0);
      let result: unknown;
      try {
        result = typedArith(op === '$inc' ? 'add' : 'multiply', base, asTypedNumber(by)!, 'error');
      } catch (e) {
        if (!(e instanceof Int64Overflow)) throw e;
        throw new MongoError(Codes.BadValue, 'BadValue', `Failed to apply ${op} operations to current value ((NumberLong)${String(cur)}) for document {_id: ${JSON.stringify(doc._id)}}`);
      }
      mods.$set = { ...(mods.$set as Document | undefined), [path]: result };
      delete spec[path];
      if (Object.keys(spec).length === 0) delete mods[op];
    }
  }
  return mods;
}

/** Writes v at a dotted path of a freshly built document, where the path already exists. */
function setTypedAt(doc: Document, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (!cur || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[p];
  }
  const last = parts[parts.length - 1]!;
  if (cur && typeof cur === 'object' && last in cur) (cur as Record<string, unknown>)[last] = v;
}

/**
 * `$min`/`$max` as `$set`s of the value exactly as sent (mingo would store the view's number, so
 * `$max: { x: Double(5) }` over an Int32 3 came out as Int32 5). Compared in BSON order, as MongoDB
 * does; equal values leave the field alone. Positional paths and paths through arrays go to mingo.
 */
function typedMinMax(doc: Document, mods: Document): Document {
  for (const op of ['$min', '$max'] as const) {
    const spec = mods[op] as Document | undefined;
    if (!spec) continue;
    for (const [path, v] of Object.entries(spec)) {
      if (path.includes('$')) continue;
      const parts = path.split('.');
      let cur: unknown = doc;
      let throughArray = false;
      for (const p of parts) {
        if (Array.isArray(cur)) throughArray = true;
        cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
      }
      if (throughArray) continue;
      const c = cur === undefined ? 1 : compareValues(v, cur);
      if (op === '$max' ? c > 0 : c < 0) mods.$set = { ...(mods.$set as Document | undefined), [path]: v };
      delete spec[path];
    }
    if (Object.keys(spec).length === 0) delete mods[op];
  }
  return mods;
}

function checkId(before: Document, after: Document): void {
  if (before._id === undefined) return;
  if (equalityKey(after._id) !== equalityKey(before._id)) {
    throw new MongoError(Codes.ImmutableField, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
}

/** `_id` first, as MongoDB stores it. */
export function idFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id' || doc._id === undefined) return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Rejects malformed updates before any document is matched (MongoDB parses them first). */
export function validateUpdate(u: unknown): void {
  if (Array.isArray(u)) return;
  if (!u || typeof u !== 'object') throw new MongoError(Codes.FailedToParse, 'FailedToParse', 'Update argument must be either an object or an array');
  if (!isOperatorUpdate(u as Document)) return;
  for (const k of Object.keys(u)) {
    if (!OPERATORS.has(k)) throw new MongoError(Codes.FailedToParse, 'FailedToParse', `Unknown modifier: ${k}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
}

export function applyUpdate(before: Document, u: Document | Document[], opts: UpdateOptions = {}): Document {
  if (Array.isArray(u)) {
    const out = new Aggregator(toView(u) as Document[], {}).run([toView(before) as Document])[0] as Document;
    const typed = fromView(out, before) as Document;
    checkId(before, typed);
    return idFirst(typed);
  }
  if (!isOperatorUpdate(u)) {
    for (const k of Object.keys(u)) if (k.startsWith('$')) throw new MongoError(Codes.BadValue, 'BadValue', `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document.`);
    const next = { _id: before._id, ...u };
    if (next._id === undefined) delete next._id;
    checkId(before, next);
    return next;
  }
  for (const k of Object.keys(u)) {
    if (!OPERATORS.has(k)) throw new MongoError(Codes.FailedToParse, 'FailedToParse', `Unknown modifier: ${k}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  let mods: Document = { ...u };
  for (const op of Object.keys(mods)) mods[op] = { ...(mods[op] as Document) };
  if (mods.$setOnInsert) {
    if (opts.inserting) mods.$set = { ...(mods.$set as Document | undefined), ...(mods.$setOnInsert as Document) };
    delete mods.$setOnInsert;
  }
  mods = prepareModifiers(before, mods, opts.arrayFilters, opts.clock ?? (() => new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 })));
  mods = exactArithmetic(before, mods);
  mods = typedMinMax(before, mods);
  if (Object.keys(mods).length === 0) return before;
  let base = before;
  const sets = mods.$set as Document | undefined;
  if (sets && '_id' in sets) {
    // Setting _id is allowed when it creates the document (upsert) or does not change it.
    const { _id, ...rest } = sets;
    if (before._id === undefined) base = { _id, ...before };
    else if (equalityKey(_id) !== equalityKey(before._id)) {
      throw new MongoError(Codes.ImmutableField, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    mods.$set = rest;
    if (Object.keys(rest).length === 0) delete mods.$set;
    if (Object.keys(mods).length === 0) return base;
  }
  before = base;
  // Values exactly as the client sent them for $set, so a Double 2.0 stays a Double.
  const typedSets = (mods.$set as Document | undefined) ?? {};
  const view = toView(before) as Document;
  let changed: string[];
  try {
    changed = mingoUpdate(view, toView(mods) as never, opts.arrayFilters ? (toView(opts.arrayFilters) as Document[]) : undefined, opts.filter ? (toView(opts.filter) as Document) : undefined, { cloneMode: 'deep' });
  } catch (e) {
    throw updateError(e);
  }
  if (changed.length === 0) return before;
  const roots = new Set(changed.map((p) => p.split('.')[0]!));
  const after: Document = {};
  for (const k of Object.keys(view)) {
    if (!roots.has(k)) after[k] = before[k];
    else if (k in typedSets && typedSets[k] !== undefined) after[k] = typedSets[k];
    else after[k] = fromView(view[k], before[k]);
  }
  // A nested $set (also from $inc/$mul above) keeps the type the client sent or the arithmetic
  // produced, not the type the old value at that path had.
  for (const [path, v] of Object.entries(typedSets)) {
    if (path.includes('.') && !path.includes('$') && roots.has(path.slice(0, path.indexOf('.')))) setTypedAt(after, path, v);
  }
  checkId(before, after);
  return idFirst(after);
}

function updateError(e: unknown): MongoError {
  if (e instanceof MongoError) return e;
  const msg = (e as Error).message ?? String(e);
  if (/immutable field '_id'/.test(msg)) return new MongoError(Codes.ImmutableField, 'ImmutableField', msg);
  if (/conflict/i.test(msg)) return new MongoError(Codes.ConflictingUpdateOperators, 'ConflictingUpdateOperators', msg);
  if (/arrayFilters|identifier/i.test(msg)) return new MongoError(Codes.BadValue, 'BadValue', msg);
  return new MongoError(Codes.BadValue, 'BadValue', msg);
}

/** The document an upsert starts from: equality fields of the filter (incl. inside `$and`). */
export function seedFromFilter(filter: Document): Document {
  const seed: Document = {};
  const setPath = (path: string, v: unknown) => {
    const parts = path.split('.');
    let cur: Document = seed;
    for (const p of parts.slice(0, -1)) {
      if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
      cur = cur[p] as Document;
    }
    cur[parts[parts.length - 1]!] = v;
  };
  const visit = (f: Document) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) { v.forEach((x) => visit(x as Document)); continue; }
      if (k.startsWith('$')) continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
        const keys = Object.keys(v);
        if (keys.length && keys.every((x) => x.startsWith('$'))) {
          if ('$eq' in v) setPath(k, (v as Document).$eq);
          continue;
        }
      }
      if (v instanceof RegExp) continue;
      setPath(k, v);
    }
  };
  visit(filter);
  return seed;
}

export function upsertDocument(filter: Document, u: Document | Document[], arrayFilters?: Document[]): Document {
  const seed = seedFromFilter(filter);
  let doc: Document;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    doc = { ...u };
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  } else {
    doc = applyUpdate(seed, u, { arrayFilters, inserting: true });
    if (seed._id !== undefined) checkId(seed, doc);
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return idFirst(doc);
}
