/**
 * The index set of one collection (implements IndexSet from contracts.ts).
 *
 * Every mutating call computes all keys and checks all unique constraints first, and only then
 * touches any structure, so a failure leaves every index unchanged.
 */
import type { Document } from 'bson';
import type { IndexSet, IndexSetFactory, IndexSpec, Plan, PlanRequest, RecordId } from '../contracts.js';
import { Codes, MongoError } from '../errors.js';
import { KeyIndex } from './key-index.js';
import type { DocKeys } from './keys.js';
import { planQuery } from './planner.js';
import { checkConflicts, listingOf, normaliseSpec, type NormalisedSpec } from './spec.js';
import { TextIndex } from './text.js';
import { NOT_FLAT, storedKey, TypeBound } from './keys.js';
import { Rank, hashKey } from '../bson-order.js';

export type { KeyIndex } from './key-index.js';

type TextSearchQuery = Parameters<IndexSet['textSearch']>[0];

export interface IndexSetExt extends IndexSet {
  /** Returns true when created, false when an identical index already existed (a no-op). */
  create(spec: IndexSpec, records: Iterable<[RecordId, Document]>): boolean;
  /** collMod: change expireAfterSeconds / hidden of an index found by name or key pattern. */
  modify(nameOrKey: string | Document, changes: { expireAfterSeconds?: number; hidden?: boolean }): IndexSpec;
  /** Name of the index with this key pattern, if any (dropIndexes by key spec). */
  findByKey(key: Document): string | undefined;
  hasTextIndex(): boolean;
  /**
   * Optional: lets the text index read documents on demand (for "phrase" checks) instead of
   * keeping a copy of every indexed string. Call once after creating the set.
   */
  setDocumentLoader(loader: (id: RecordId) => Document | undefined): void;
}

/** Keys that took the general path (a DocKeys), told apart from a flat key, which may be any value. */
class GeneralKeys {
  constructor(readonly keys: DocKeys) {}
}

class CollectionIndexes implements IndexSetExt {
  private defs: NormalisedSpec[] = [];
  private keyed: KeyIndex[] = [];
  private text: TextIndex | null = null;
  private loader: ((id: RecordId) => Document | undefined) | null = null;
  private idIndex: KeyIndex | undefined;
  private fieldsCache: ReadonlySet<string> | null | undefined;

  constructor(readonly ns: string) {}

  keyFields(): ReadonlySet<string> | null {
    if (this.fieldsCache !== undefined) return this.fieldsCache;
    const out = new Set<string>(['_id']);
    for (const d of this.defs) {
      if (d.textFields || d.spec.partialFilterExpression || d.fields.some((f) => f.includes('$'))) return (this.fieldsCache = null);
      for (const f of d.fields) out.add(f.split('.')[0]!);
    }
    return (this.fieldsCache = out);
  }

  idLookup(id: unknown): RecordId | undefined {
    const ix = (this.idIndex ??= this.keyed.find((k) => k.name === '_id_'));
    if (!ix) return undefined;
    const ids = ix.lookupValue(id);
    return ids.length === 1 ? ids[0] : undefined;
  }

  list(): IndexSpec[] {
    return this.defs.map(listingOf);
  }

  setDocumentLoader(loader: (id: RecordId) => Document | undefined): void {
    this.loader = loader;
    this.text?.setLoader(loader);
  }

  hasTextIndex(): boolean {
    return this.text !== null;
  }

  findByKey(key: Document): string | undefined {
    const want = JSON.stringify(Object.entries(key).map(([f, d]) => [f, typeof d === 'string' ? d : Number(d?.valueOf?.() ?? d)]));
    return this.defs.find((d) => JSON.stringify(Object.entries(d.spec.key).map(([f, v]) => [f, typeof v === 'string' ? v : Number(v)])) === want)?.spec.name;
  }

  create(spec: IndexSpec, records: Iterable<[RecordId, Document]>): boolean {
    const def = normaliseSpec(spec);
    if (checkConflicts(def, this.defs) === 'exists') return false;
    if (def.textFields) {
      const t = new TextIndex(def);
      t.setLoader(this.loader);
      t.build(records);
      this.text = t;
    } else {
      const ix = new KeyIndex(this.ns, def);
      ix.build(records); // throws on duplicates before the index becomes visible
      this.keyed.push(ix);
    }
    this.defs.push(def);
    this.fieldsCache = undefined;
    return true;
  }

  drop(name: string): void {
    if (name === '_id_') throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', 'cannot drop _id index');
    const at = this.defs.findIndex((d) => d.spec.name === name);
    if (at < 0) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `index not found with name [${name}]`);
    this.defs.splice(at, 1);
    this.fieldsCache = undefined;
    if (this.text?.name === name) this.text = null;
    this.keyed = this.keyed.filter((k) => k.name !== name);
  }

  modify(nameOrKey: string | Document, changes: { expireAfterSeconds?: number; hidden?: boolean }): IndexSpec {
    const name = typeof nameOrKey === 'string' ? nameOrKey : this.findByKey(nameOrKey);
    const def = this.defs.find((d) => d.spec.name === name);
    const ix = this.keyed.find((k) => k.name === name);
    if (!def) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `cannot find index ${JSON.stringify(nameOrKey)} for ns ${this.ns}`);
    if (changes.expireAfterSeconds !== undefined) {
      def.spec.expireAfterSeconds = Number(changes.expireAfterSeconds);
      if (ix) ix.ttlSeconds = def.fields.length === 1 ? def.spec.expireAfterSeconds : null;
    }
    if (changes.hidden !== undefined) {
      def.spec.hidden = changes.hidden;
      if (ix) ix.hidden = changes.hidden;
    }
    return listingOf(def);
  }

  /** Keys per keyed index (may throw 171) and unique checks; no mutation. */
  private prepare(id: RecordId | null, doc: Document, ignore?: RecordId[]): DocKeys[] {
    const all = this.keyed.map((ix) => ix.keysOf(doc));
    for (let i = 0; i < this.keyed.length; i++) this.keyed[i]!.checkUnique(all[i]!, id, ignore);
    return all;
  }

  /**
   * Keys are added index by index; unique indexes that check while adding (one B+tree descent
   * instead of a lookup and then an insert) come after every other check, and a duplicate there
   * takes the new record's keys back out of the indexes already updated, so a failed insert still
   * leaves every index unchanged. Most documents' keys are flat (KeyIndex.flatKeyOf): added with no
   * per-index structure, which was most of an insert's garbage.
   */
  insert(id: RecordId, doc: Document): void {
    const n = this.keyed.length;
    const keys: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const ix = this.keyed[i]!;
      const flat = ix.flatKeyOf(doc);
      if (flat !== NOT_FLAT) {
        keys[i] = flat;
        continue;
      }
      const general = ix.keysOf(doc);
      if (!ix.checksOnAdd(general)) ix.checkUnique(general, id);
      keys[i] = new GeneralKeys(general);
    }
    let done = 0;
    try {
      for (; done < n; done++) {
        const ix = this.keyed[done]!;
        const k = keys[done];
        if (!(k instanceof GeneralKeys)) ix.addFlat(id, k);
        else if (ix.checksOnAdd(k.keys)) ix.addUnique(id, k.keys);
        else ix.add(id, k.keys, true);
      }
    } catch (e) {
      for (let j = 0; j < done; j++) {
        const k = keys[j];
        if (k instanceof GeneralKeys) this.keyed[j]!.removeKeys(id, k.keys);
        else this.keyed[j]!.removeFlat(id, k);
      }
      throw e;
    }
    this.text?.insert(id, doc);
  }

  update(id: RecordId, before: Document, after: Document): void {
    const n = this.keyed.length;
    const olds: DocKeys[] = new Array(n);
    const news: DocKeys[] = new Array(n);
    const changed: boolean[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const ix = this.keyed[i]!;
      const o = ix.keysOf(before);
      const k = ix.keysOf(after);
      olds[i] = o;
      news[i] = k;
      // Unchanged keys (the common case for updates of unindexed fields) need no work.
      changed[i] = o.eq.length !== k.eq.length || o.eq.some((e, j) => e !== k.eq[j]);
    }
    for (let i = 0; i < n; i++) if (changed[i]) this.keyed[i]!.checkUnique(news[i]!, id);
    for (let i = 0; i < n; i++) {
      if (!changed[i]) continue;
      this.keyed[i]!.removeKeys(id, olds[i]!);
      this.keyed[i]!.add(id, news[i]!);
    }
    if (this.text) {
      this.text.remove(id, before);
      this.text.insert(id, after);
    }
  }

  remove(id: RecordId, doc: Document): void {
    for (const ix of this.keyed) ix.removeKeys(id, ix.keysOf(doc));
    this.text?.remove(id, doc);
  }

  checkUnique(id: RecordId | null, doc: Document, ignore?: RecordId[]): void {
    this.prepare(id, doc, ignore);
  }

  plan(req: PlanRequest): Plan {
    if (req.filter && '$text' in req.filter) {
      const ids = [...this.textSearch(req.filter.$text as TextSearchQuery).keys()];
      return { indexName: this.text!.name, candidates: ids, providesSort: false, stage: `TEXT (${this.text!.name})`, keysExamined: ids.length };
    }
    return planQuery(this.keyed, req);
  }

  textSearch(search: TextSearchQuery): Map<RecordId, number> {
    if (!this.text) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', 'text index required for $text query');
    return this.text.search(search);
  }

  expired(now: Date): RecordId[] {
    const out = new Set<RecordId>();
    for (const ix of this.keyed) {
      if (ix.ttlSeconds === null) continue;
      const cutoff = storedKey(new Date(now.getTime() - ix.ttlSeconds * 1000));
      const low = new TypeBound(Rank.Date, false);
      // Walk dates older than the cutoff in value order; for a descending index that is backwards.
      const asc = ix.layout.dirs[0]! > 0;
      const walk = asc ? ix.tree.walk(low, true, cutoff, false, false) : ix.tree.walk(cutoff, false, low, true, true);
      for (const [, id] of walk) out.add(id);
    }
    return [...out];
  }
}

export const createIndexSet: IndexSetFactory = (collectionNs: string) => new CollectionIndexes(collectionNs);

/** Same factory with the extended type (create returns whether it created; modify; findByKey). */
export const createIndexSetExt = (collectionNs: string): IndexSetExt => new CollectionIndexes(collectionNs);
