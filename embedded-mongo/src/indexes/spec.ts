/**
 * Index specification validation, normalisation and the conflict rules of createIndexes.
 */
import type { Document } from 'bson';
import { equalityKey, isSimpleCollation, toNum } from '../bson-order.js';
import type { Collation, IndexSpec } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';

export type FieldKind = 'asc' | 'desc' | 'text' | 'hashed' | 'geo';

export interface NormalisedSpec {
  spec: IndexSpec; // as given (numbers unwrapped), used for conflict checks
  fields: string[]; // non-text fields in order
  dirs: number[];
  kinds: FieldKind[];
  textFields: string[] | null; // fields with 'text' (or ['$**'])
  collation: Collation | null;
}

const CannotCreateIndex = 67;

function plainNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype) {
    const n = toNum(v);
    return typeof n === 'number' ? n : Number(n);
  }
  return undefined;
}

/** Unwraps BSON number classes in an options object so comparisons and arithmetic are simple. */
function unwrapNumbers(spec: IndexSpec): IndexSpec {
  const out: IndexSpec = { ...spec };
  for (const k of ['v', 'expireAfterSeconds', 'textIndexVersion', '2dsphereIndexVersion']) {
    const n = plainNumber(out[k]);
    if (n !== undefined) out[k] = n;
  }
  if (out.collation) {
    const c = { ...out.collation } as Collation & Record<string, unknown>;
    const s = plainNumber(c.strength);
    if (s !== undefined) c.strength = s;
    out.collation = c;
  }
  if (out.weights) {
    const w: Record<string, number> = {};
    for (const [f, v] of Object.entries(out.weights)) w[f] = plainNumber(v) ?? 1;
    out.weights = w;
  }
  return out;
}

export function normaliseSpec(raw: IndexSpec): NormalisedSpec {
  const spec = unwrapNumbers(raw);
  if (!spec.key || typeof spec.key !== 'object' || Object.keys(spec.key).length === 0) {
    throw new MongoError(CannotCreateIndex, 'CannotCreateIndex', 'Index keys cannot be empty.');
  }
  if (typeof spec.name !== 'string' || spec.name.length === 0) spec.name = defaultIndexName(spec.key);
  const fields: string[] = [];
  const dirs: number[] = [];
  const kinds: FieldKind[] = [];
  let textFields: string[] | null = null;
  for (const [field, rawDir] of Object.entries(spec.key as Record<string, unknown>)) {
    if (field === '_fts' || field === '_ftsx') continue; // listIndexes form of a text index
    const n = plainNumber(rawDir);
    if (n !== undefined) {
      if (n === 0 || Number.isNaN(n)) {
        throw new MongoError(CannotCreateIndex, 'CannotCreateIndex', "Values in the index key pattern can't be 0.");
      }
      fields.push(field);
      dirs.push(n < 0 ? -1 : 1);
      kinds.push(n < 0 ? 'desc' : 'asc');
    } else if (rawDir === 'text') {
      (textFields ??= []).push(field);
    } else if (rawDir === 'hashed') {
      fields.push(field);
      dirs.push(1);
      kinds.push('hashed');
    } else if (rawDir === '2dsphere' || rawDir === '2d' || rawDir === 'geoHaystack') {
      fields.push(field);
      dirs.push(1);
      kinds.push('geo');
    } else {
      throw new MongoError(CannotCreateIndex, 'CannotCreateIndex', `Unknown index plugin '${String(rawDir)}'`);
    }
  }
  if (Object.keys(spec.key).includes('_fts')) {
    // Re-creation from a listIndexes document: fields come from weights.
    textFields = Object.keys(spec.weights ?? {});
  }
  if (textFields && spec.weights) {
    for (const f of Object.keys(spec.weights)) if (!textFields.includes(f) && !textFields.includes('$**')) textFields.push(f);
  }
  if (spec.expireAfterSeconds !== undefined) {
    const t = spec.expireAfterSeconds;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', 'TTL index \'expireAfterSeconds\' option must be a non-negative number');
    }
  }
  if (spec.partialFilterExpression !== undefined && (typeof spec.partialFilterExpression !== 'object' || spec.partialFilterExpression === null || Array.isArray(spec.partialFilterExpression))) {
    throw new MongoError(Codes.BadValue, 'BadValue', 'partialFilterExpression must be an object');
  }
  if (spec.name === '_id_' && (fields.length !== 1 || fields[0] !== '_id')) {
    throw new MongoError(Codes.BadValue, 'BadValue', "The index name '_id_' is reserved for the _id index");
  }
  const collation = spec.collation && !isSimpleCollation(spec.collation) ? spec.collation : null;
  return { spec, fields, dirs, kinds, textFields, collation };
}

export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(plainNumber(d) ?? d)}`)
    .join('_');
}

/** Options that make two index definitions different (name and version aside). */
function optionsKey(n: NormalisedSpec): string {
  const s = n.spec;
  const opts: Document = {
    unique: !!s.unique,
    sparse: !!s.sparse,
    partial: s.partialFilterExpression ?? null,
    ttl: s.expireAfterSeconds ?? null,
    collation: n.collation ? { locale: n.collation.locale, strength: n.collation.strength ?? 3, caseLevel: !!n.collation.caseLevel, numericOrdering: !!n.collation.numericOrdering } : null,
    weights: n.textFields ? normalisedWeights(n) : null,
    lang: n.textFields ? (s.default_language ?? 'english') : null,
    override: n.textFields ? (s.language_override ?? 'language') : null,
    hidden: !!s.hidden,
  };
  return equalityKey(opts);
}

/** Key pattern identity, with text fields represented like MongoDB stores them. */
function keyIdentity(n: NormalisedSpec): string {
  const parts = n.fields.map((f, i) => [f, n.kinds[i]]);
  return equalityKey({ parts, text: n.textFields ? [...n.textFields].sort() : null });
}

export function normalisedWeights(n: NormalisedSpec): Record<string, number> {
  const w: Record<string, number> = {};
  for (const f of n.textFields ?? []) w[f] = (n.spec.weights as Record<string, number> | undefined)?.[f] ?? 1;
  return w;
}

/** Identity used to tell distinct indexes on the same key apart (collation, partial filter). */
function distinguishingKey(n: NormalisedSpec): string {
  return equalityKey({ partial: n.spec.partialFilterExpression ?? null, collation: n.collation ? [n.collation.locale, n.collation.strength ?? 3] : null });
}

/**
 * Decides what creating `wanted` means given the existing indexes: 'exists' (identical, a no-op),
 * 'create', or throws the error MongoDB gives.
 */
export function checkConflicts(wanted: NormalisedSpec, existing: NormalisedSpec[]): 'exists' | 'create' {
  const show = (s: IndexSpec) => JSON.stringify(s);
  for (const e of existing) {
    if (e.spec.name === wanted.spec.name) {
      if (keyIdentity(e) !== keyIdentity(wanted)) {
        throw new MongoError(
          Codes.IndexKeySpecsConflict,
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${show(wanted.spec)}, existing index: ${show(e.spec)}`,
        );
      }
      if (optionsKey(e) !== optionsKey(wanted)) {
        throw new MongoError(
          Codes.IndexOptionsConflict,
          'IndexOptionsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${show(wanted.spec)}, existing index: ${show(e.spec)}`,
        );
      }
      return 'exists';
    }
  }
  for (const e of existing) {
    if (keyIdentity(e) === keyIdentity(wanted) && distinguishingKey(e) === distinguishingKey(wanted)) {
      if (optionsKey(e) === optionsKey(wanted)) {
        throw new MongoError(Codes.IndexOptionsConflict, 'IndexOptionsConflict', `Index already exists with a different name: ${e.spec.name}`);
      }
      throw new MongoError(
        Codes.IndexOptionsConflict,
        'IndexOptionsConflict',
        `An equivalent index already exists with the same name but different options. Requested index: ${show(wanted.spec)}, existing index: ${show(e.spec)}`,
      );
    }
    if (e.textFields && wanted.textFields) {
      throw new MongoError(
        Codes.IndexOptionsConflict,
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name and options. Requested index: ${show(wanted.spec)}, existing index: ${show(e.spec)}`,
      );
    }
  }
  return 'create';
}

/** The document listIndexes shows for an index, shaped like MongoDB's. */
export function listingOf(n: NormalisedSpec): IndexSpec {
  const s = n.spec;
  const out: IndexSpec = { v: 2, key: s.key, name: s.name };
  if (n.textFields) {
    const key: Record<string, unknown> = {};
    // Scalar prefix/suffix fields keep their place around the _fts/_ftsx pair.
    for (const [f, d] of Object.entries(s.key)) {
      if (d === 'text' || f === '_fts' || f === '_ftsx') {
        if (!('_fts' in key)) {
          key._fts = 'text';
          key._ftsx = 1;
        }
      } else key[f] = d;
    }
    out.key = key as IndexSpec['key'];
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === 'key' || k === 'name' || k === 'v' || k === 'ns' || k === 'background') continue;
    if (v !== undefined) out[k] = v;
  }
  if (n.textFields) {
    out.weights = normalisedWeights(n);
    out.default_language = s.default_language ?? 'english';
    out.language_override = s.language_override ?? 'language';
    out.textIndexVersion = 3;
  }
  if (n.collation) {
    out.collation = {
      locale: n.collation.locale,
      caseLevel: !!n.collation.caseLevel,
      caseFirst: 'off',
      strength: n.collation.strength ?? 3,
      numericOrdering: !!n.collation.numericOrdering,
      alternate: 'non-ignorable',
      maxVariable: 'punct',
      normalization: false,
      backwards: false,
      version: '57.1',
    } as unknown as Collation;
  }
  return out;
}
