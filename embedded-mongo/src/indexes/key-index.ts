/**
 * One regular (non-text) index: a hash map from equality key to record ids (equality, $in and
 * uniqueness in O(1)) plus a B+tree of (key, id) for ranges, sorts and TTL scans.
 */
import type { Document } from 'bson';
import { getPathValues, hashKey } from '../bson-order.js';
import type { Collation, RecordId } from '../contracts.js';
import { duplicateKeyError } from '../errors.js';
import { BTree } from './btree.js';
import { extractKeys, flatKey, keyValueOf, makeComparators, NOT_FLAT, pathParts, storedKey, type DocKeys, type KeyLayout } from './keys.js';
import { compilePartialFilter, type DocPredicate } from './partial.js';
import type { NormalisedSpec } from './spec.js';

/** One id stays a bare number; only keys shared by several records pay for a Set. */
type Postings = number | Set<number>;
type HashKey = string | number;

const NOT_INDEXED: DocKeys = { keys: [], eq: [], multikey: false };

export class KeyIndex {
  readonly name: string;
  readonly layout: KeyLayout;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: DocPredicate | null;
  /** Inert indexes (geo) are listed but hold no keys and are never planned. */
  readonly inert: boolean;
  ttlSeconds: number | null;
  hidden: boolean;
  multikey = false;
  readonly hash = new Map<HashKey, Postings>();
  /**
   * Only non-unique single-field indexes keep the hash map. A unique single-field index (`_id_`,
   * email...) answers equality and uniqueness with one B+tree descent (~17 comparisons at 100k
   * keys) and a compound index through a prefix scan: a hash entry costs ~35-70 bytes of heap
   * per key (~7 MB for two unique indexes over 100k documents, measured with probe.ts).
   * Unique compound indexes keep it: their equality key is a joined tuple, not a tree key.
   */
  readonly hasHash: boolean;
  private readonly parts: (string[] | null)[];
  readonly tree: BTree;
  readonly compareKeys: (a: unknown, b: unknown) => number;

  constructor(
    readonly ns: string,
    readonly def: NormalisedSpec,
  ) {
    this.name = def.spec.name;
    this.layout = { fields: def.fields, dirs: def.dirs, collation: def.collation };
    // `_id_` is listed without `unique` (as MongoDB lists it) but enforced: the engine relies on it.
    this.unique = !!def.spec.unique || this.name === '_id_';
    this.sparse = !!def.spec.sparse;
    this.partial = def.spec.partialFilterExpression ? compilePartialFilter(def.spec.partialFilterExpression) : null;
    this.inert = def.kinds.includes('geo');
    this.ttlSeconds = typeof def.spec.expireAfterSeconds === 'number' && def.fields.length === 1 ? def.spec.expireAfterSeconds : null;
    this.hidden = !!def.spec.hidden;
    const cmp = makeComparators(this.layout);
    this.compareKeys = cmp.keys;
    this.parts = pathParts(this.layout.fields);
    this.hasHash = this.layout.fields.length === 1 ? !this.unique : this.unique;
    this.tree = new BTree(this.compareKeys, this.layout.fields.length, cmp.part);
  }

  get fields(): string[] {
    return this.layout.fields;
  }

  get collation(): Collation | null {
    return this.layout.collation;
  }

  /** Keys this document contributes (empty when sparse/partial exclude it). May throw 171. */
  keysOf(doc: Document): DocKeys {
    if (this.inert) return NOT_INDEXED;
    if (this.partial && !this.partial(doc)) return NOT_INDEXED;
    if (this.sparse && !this.hasAnyField(doc)) return NOT_INDEXED;
    return extractKeys(doc, this.layout, this.parts);
  }

  private hasAnyField(doc: Document): boolean {
    for (const f of this.fields) {
      const vals = getPathValues(doc, f);
      for (let i = 0; i < vals.length; i++) if (vals[i] !== undefined) return true;
    }
    return false;
  }

  /** Throws the duplicate key error if any key is held by a record other than self / ignored. */
  checkUnique(keys: DocKeys, self: RecordId | null, ignore?: RecordId[]): void {
    if (!this.unique) return;
    if (!this.hasHash) {
      for (let i = 0; i < keys.keys.length; i++) {
        for (const other of this.tree.idsEqual(keys.keys[i], [])) {
          if (other !== self && !(ignore && ignore.includes(other))) throw this.duplicate(keys.keys[i]);
        }
      }
      return;
    }
    for (let i = 0; i < keys.eq.length; i++) {
      const p = this.hash.get(keys.eq[i]!);
      if (p === undefined) continue;
      if (typeof p === 'number') {
        if (p !== self && !(ignore && ignore.includes(p))) throw this.duplicate(keys.keys[i]);
      } else {
        for (const other of p) if (other !== self && !(ignore && ignore.includes(other))) throw this.duplicate(keys.keys[i]);
      }
    }
  }

  duplicate(key: unknown) {
    return duplicateKeyError(this.ns, this.name, this.def.spec.key as Record<string, unknown>, keyValueOf(key, this.fields));
  }

  /**
   * The document's one key when it can be added without a DocKeys structure (see addFlat), else
   * NOT_FLAT. Indexes with a hash map, sparse or partial ones take the general path.
   */
  flatKeyOf(doc: Document): unknown {
    if (this.hasHash || this.inert || this.partial || this.sparse) return NOT_FLAT;
    return flatKey(doc, this.layout, this.parts);
  }

  /** Adds a flatKeyOf() key; a unique index refuses a duplicate with nothing changed. */
  addFlat(id: RecordId, key: unknown): void {
    if (!this.unique) this.tree.insert(key, id);
    else if (this.tree.insertUnique(key, id) >= 0) throw this.duplicate(key);
  }

  removeFlat(id: RecordId, key: unknown): void {
    this.tree.delete(key, id);
  }

  /**
   * True when addUnique() enforces uniqueness for these keys itself: a unique index without a
   * hash map and a single key, where one B+tree descent both checks and inserts.
   */
  checksOnAdd(keys: DocKeys): boolean {
    return this.unique && !this.hasHash && keys.keys.length === 1;
  }

  /** add() for checksOnAdd() keys: throws the duplicate key error with nothing changed. */
  addUnique(id: RecordId, keys: DocKeys): void {
    const key = keys.keys[0];
    if (this.tree.insertUnique(key, id) >= 0) throw this.duplicate(key);
    if (keys.multikey) this.multikey = true;
  }

  /**
   * `checked`: checkUnique just passed for this new record, so a unique index holds none of its
   * keys and can set them without looking them up again (one hash probe less per insert).
   */
  add(id: RecordId, keys: DocKeys, checked = false): void {
    if (keys.multikey) this.multikey = true;
    const eq = this.hasHash ? keys.eq : null;
    const direct = checked && this.unique && eq !== null;
    for (let i = 0; i < keys.keys.length; i++) {
      if (direct) this.hash.set(eq![i]!, id);
      else if (eq) this.hashAdd(eq[i]!, id);
      this.tree.insert(keys.keys[i], id);
    }
  }

  private hashAdd(k: HashKey, id: RecordId): void {
    const p = this.hash.get(k);
    if (p === undefined) this.hash.set(k, id);
    else if (typeof p === 'number') {
      if (p !== id) this.hash.set(k, new Set([p, id]));
    } else p.add(id);
  }

  removeKeys(id: RecordId, keys: DocKeys): void {
    for (let i = 0; i < keys.keys.length; i++) {
      if (this.hasHash) {
        const k = keys.eq[i]!;
        const p = this.hash.get(k);
        if (p === id) this.hash.delete(k);
        else if (p !== undefined && typeof p !== 'number') {
          p.delete(id);
          if (p.size === 1) this.hash.set(k, p.values().next().value!);
        }
      }
      this.tree.delete(keys.keys[i], id);
    }
  }

  /**
   * Record ids holding a value (a whole key of a single-field index, as a query gives it);
   * a fresh array: safe to modify the index meanwhile.
   */
  lookupValue(v: unknown): RecordId[] {
    if (this.hasHash) return this.lookup(hashKey(v, this.collation));
    return this.tree.idsEqual(storedKey(v), []);
  }

  /** Record ids holding an equality key (hash-map indexes only; a fresh array). */
  lookup(eqKey: HashKey): RecordId[] {
    const p = this.hash.get(eqKey);
    if (p === undefined) return [];
    return typeof p === 'number' ? [p] : [...p];
  }

  /**
   * Builds the index over existing records. Unique violations throw before anything is kept.
   * Entries are sorted once and bulk-loaded, which is far cheaper than one insert per key.
   */
  build(records: Iterable<[RecordId, Document]>): void {
    const keys: unknown[] = [];
    const ids: number[] = [];
    for (const [id, doc] of records) {
      const k = this.keysOf(doc);
      if (k.keys.length === 0) continue;
      if (this.unique && this.hasHash) this.checkUnique(k, id);
      if (k.multikey) this.multikey = true;
      for (let i = 0; i < k.keys.length; i++) {
        if (this.hasHash) this.hashAdd(k.eq[i]!, id);
        keys.push(k.keys[i]);
        ids.push(id);
      }
    }
    const order = Array.from(ids.keys());
    const cmp = this.compareKeys;
    order.sort((a, b) => cmp(keys[a], keys[b]) || ids[a]! - ids[b]!);
    // Without a hash map, duplicates of a unique index are neighbours once sorted.
    if (this.unique && !this.hasHash) {
      for (let i = 1; i < order.length; i++) {
        const prev = order[i - 1]!;
        const cur = order[i]!;
        if (ids[prev] !== ids[cur] && cmp(keys[prev], keys[cur]) === 0) throw this.duplicate(keys[cur]);
      }
    }
    this.tree.bulkLoad(
      order.map((i) => keys[i]),
      order.map((i) => ids[i]!),
    );
  }
}
