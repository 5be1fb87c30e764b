import { describe, expect, it } from 'vitest';
import { Decimal128, Int32, Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import { createIndexSet, createIndexSetExt } from '../../src/indexes/index.js';
import type { IndexSet, RecordId } from '../../src/contracts.js';
import { MongoError } from '../../src/errors.js';

/** A tiny record store driving an IndexSet the way the engine does. */
class Store {
  docs = new Map<RecordId, Document>();
  next = 1;
  constructor(readonly ix: IndexSet = createIndexSet('db.c')) {
    ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
  }
  insert(doc: Document): RecordId {
    const id = this.next++;
    this.ix.insert(id, doc);
    this.docs.set(id, doc);
    return id;
  }
  update(id: RecordId, after: Document) {
    this.ix.update(id, this.docs.get(id)!, after);
    this.docs.set(id, after);
  }
  remove(id: RecordId) {
    this.ix.remove(id, this.docs.get(id)!);
    this.docs.delete(id);
  }
  createIndex(spec: Document) {
    return this.ix.create(spec as never, this.docs.entries());
  }
  find(filter: Document, extra: Document = {}): RecordId[] {
    const p = this.ix.plan({ filter, ...extra });
    return p.candidates ? [...p.candidates] : [...this.docs.keys()];
  }
}

function catchErr(fn: () => unknown): MongoError {
  try {
    fn();
  } catch (e) {
    return e as MongoError;
  }
  throw new Error('expected an error');
}

describe('unique indexes', () => {
  it('rejects duplicates with keyPattern and keyValue, and treats numeric types as equal', () => {
    const s = new Store();
    s.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    s.insert({ _id: 1, email: 'a@b.c' });
    const e = catchErr(() => s.insert({ _id: 2, email: 'a@b.c' }));
    expect(e.code).toBe(11000);
    expect(e.extra).toEqual({ keyPattern: { email: 1 }, keyValue: { email: 'a@b.c' } });
    expect(e.message).toContain('index: email_1 dup key');
    const e2 = catchErr(() => s.insert({ _id: new Int32(1), email: 'x' }));
    expect(e2.extra.keyValue).toEqual({ _id: 1 }); // stored keys unwrap Int32/Double to numbers
    expect(() => s.insert({ _id: Long.fromNumber(1), email: 'y' })).toThrow(MongoError);
    expect(() => s.insert({ _id: Decimal128.fromString('1.0'), email: 'y' })).toThrow(MongoError);
  });

  it('indexes missing fields as null: two docs without the field collide unless sparse', () => {
    const s = new Store();
    s.createIndex({ name: 'u_1', key: { u: 1 }, unique: true });
    s.insert({ _id: 1 });
    const e = catchErr(() => s.insert({ _id: 2 }));
    expect(e.extra.keyValue).toEqual({ u: null });
    const sp = new Store();
    sp.createIndex({ name: 'u_1', key: { u: 1 }, unique: true, sparse: true });
    sp.insert({ _id: 1 });
    sp.insert({ _id: 2 });
    sp.insert({ _id: 3, u: 5 });
    expect(() => sp.insert({ _id: 4, u: 5 })).toThrow(/dup key/);
  });

  it('is all-or-nothing: a later unique violation leaves earlier indexes untouched', () => {
    const s = new Store();
    s.createIndex({ name: 'a_1', key: { a: 1 } });
    s.createIndex({ name: 'b_1', key: { b: 1 }, unique: true });
    s.insert({ _id: 1, a: 1, b: 1 });
    expect(() => s.insert({ _id: 2, a: 7, b: 1 })).toThrow(/b_1/);
    expect(s.find({ a: 7 })).toEqual([]);
    expect(s.find({ _id: 2 })).toEqual([]);
    // updates too
    const id = s.insert({ _id: 3, a: 3, b: 3 });
    expect(() => s.ix.update(id, s.docs.get(id)!, { _id: 3, a: 99, b: 1 })).toThrow(/b_1/);
    expect(s.find({ a: 99 })).toEqual([]);
    expect(s.find({ a: 3 })).toEqual([id]);
  });

  it('allows a document to keep its own key on update and frees keys on remove', () => {
    const s = new Store();
    s.createIndex({ name: 'e_1', key: { e: 1 }, unique: true });
    const id = s.insert({ _id: 1, e: 'x' });
    s.update(id, { _id: 1, e: 'x', other: 2 });
    s.remove(id);
    s.insert({ _id: 2, e: 'x' });
  });

  it('fails index creation on existing duplicates without creating it', () => {
    const s = new Store();
    s.insert({ _id: 1, a: 1 });
    s.insert({ _id: 2, a: 1 });
    expect(catchErr(() => s.createIndex({ name: 'a_1', key: { a: 1 }, unique: true })).code).toBe(11000);
    expect(s.ix.list().map((i) => i.name)).toEqual(['_id_']);
  });

  it('checkUnique honours ignore lists without changing anything', () => {
    const s = new Store();
    s.createIndex({ name: 'a_1', key: { a: 1 }, unique: true });
    const id = s.insert({ _id: 1, a: 1 });
    expect(() => s.ix.checkUnique(null, { _id: 9, a: 1 })).toThrow(/dup key/);
    s.ix.checkUnique(null, { _id: 9, a: 1 }, [id]);
    s.ix.checkUnique(null, { _id: 9, a: 2 });
    expect(s.find({ a: 2 })).toEqual([]);
  });
});

describe('partial, sparse, compound and multikey', () => {
  it('partial unique only constrains documents matching the filter', () => {
    const s = new Store();
    s.createIndex({ name: 'email_1', key: { email: 1 }, unique: true, partialFilterExpression: { active: true } });
    s.insert({ _id: 1, email: 'a', active: false });
    s.insert({ _id: 2, email: 'a', active: false });
    s.insert({ _id: 3, email: 'a', active: true });
    expect(() => s.insert({ _id: 4, email: 'a', active: true })).toThrow(/dup key/);
    // Int32 / numeric types in partial filters compare by value
    const n = new Store();
    n.createIndex({ name: 'x_1', key: { x: 1 }, unique: true, partialFilterExpression: { age: { $gte: 18 } } });
    n.insert({ _id: 1, x: 1, age: new Int32(10) });
    n.insert({ _id: 2, x: 1, age: new Int32(20) });
    expect(() => n.insert({ _id: 3, x: 1, age: Long.fromNumber(30) })).toThrow(/dup key/);
  });

  it('compound unique uses the whole tuple', () => {
    const s = new Store();
    s.createIndex({ name: 'a_1_b_1', key: { a: 1, b: 1 }, unique: true });
    s.insert({ _id: 1, a: 1, b: 1 });
    s.insert({ _id: 2, a: 1, b: 2 });
    const e = catchErr(() => s.insert({ _id: 3, a: 1, b: 2 }));
    expect(e.extra).toEqual({ keyPattern: { a: 1, b: 1 }, keyValue: { a: 1, b: 2 } });
  });

  it('multikey: one key per array element; parallel arrays are rejected', () => {
    const s = new Store();
    s.createIndex({ name: 'tags_1', key: { tags: 1 } });
    const id = s.insert({ _id: 1, tags: ['x', 'y', 'x'] });
    expect(s.find({ tags: 'y' })).toEqual([id]);
    expect(s.find({ tags: { $in: ['x', 'y'] } })).toEqual([id]); // deduplicated
    s.createIndex({ name: 'a_1_b_1', key: { a: 1, b: 1 } });
    const e = catchErr(() => s.insert({ _id: 2, a: [1, 2], b: [3, 4] }));
    expect(e.code).toBe(171);
    expect(e.codeName).toBe('CannotIndexParallelArrays');
    expect(s.find({ _id: 2 })).toEqual([]);
    s.insert({ _id: 3, a: [1, 2], b: 3 });
    // fields under one shared array are not "parallel"
    s.createIndex({ name: 'p', key: { 'arr.x': 1, 'arr.y': 1 } });
    s.insert({ _id: 4, arr: [{ x: 1, y: 2 }, { x: 3, y: 4 }] });
  });

  it('unique multikey: elements of one document do not collide with each other', () => {
    const s = new Store();
    s.createIndex({ name: 't', key: { t: 1 }, unique: true });
    s.insert({ _id: 1, t: [1, 1, 2] });
    expect(() => s.insert({ _id: 2, t: [3, 2] })).toThrow(/dup key/);
  });

  it('dotted paths traverse arrays of subdocuments', () => {
    const s = new Store();
    s.createIndex({ name: 'items.sku_1', key: { 'items.sku': 1 } });
    const id = s.insert({ _id: 1, items: [{ sku: 'A' }, { sku: 'B' }] });
    expect(s.find({ 'items.sku': 'B' })).toEqual([id]);
  });
});

describe('collation on indexes', () => {
  it('a strength 2 unique index rejects a case variant', () => {
    const s = new Store();
    s.createIndex({ name: 'n', key: { n: 1 }, unique: true, collation: { locale: 'en', strength: 2 } });
    s.insert({ _id: 1, n: 'abc' });
    expect(() => s.insert({ _id: 2, n: 'ABC' })).toThrow(/dup key/);
    s.insert({ _id: 3, n: 'abd' });
    expect(s.ix.list()[1]!.collation).toMatchObject({ locale: 'en', strength: 2 });
  });
  it('is used for queries with the same collation only when strings are involved', () => {
    const s = new Store();
    s.createIndex({ name: 'n', key: { n: 1 }, collation: { locale: 'en', strength: 2 } });
    s.insert({ _id: 1, n: 'abc' });
    s.insert({ _id: 2, n: 'ABC' });
    const p = s.ix.plan({ filter: { n: 'aBc' }, collation: { locale: 'en', strength: 2 } });
    expect(p.indexName).toBe('n');
    expect([...p.candidates!].sort()).toEqual([1, 2]);
    expect(s.ix.plan({ filter: { n: 'abc' } }).indexName).toBe(null);
    expect(s.ix.plan({ filter: { n: 5 } }).indexName).toBe('n');
  });
});

describe('TTL', () => {
  it('returns records whose date (or earliest array date) is older than now - ttl', () => {
    const s = new Store();
    s.createIndex({ name: 'at', key: { at: 1 }, expireAfterSeconds: 60 });
    const now = new Date('2026-01-01T00:10:00Z');
    const old = s.insert({ _id: 1, at: new Date('2026-01-01T00:08:00Z') });
    s.insert({ _id: 2, at: new Date('2026-01-01T00:09:30Z') });
    const arr = s.insert({ _id: 3, at: [new Date('2026-01-01T00:09:59Z'), new Date('2026-01-01T00:00:00Z')] });
    s.insert({ _id: 4, at: 'not a date' });
    s.insert({ _id: 5 });
    expect(s.ix.expired(now).sort()).toEqual([old, arr]);
  });
  it('collMod can change expireAfterSeconds', () => {
    const ix = createIndexSetExt('db.c');
    ix.create({ name: 'at', key: { at: 1 }, expireAfterSeconds: 3600 }, [[1, { at: new Date(0) }]]);
    expect(ix.expired(new Date(1000))).toEqual([]);
    ix.modify('at', { expireAfterSeconds: 0 });
    expect(ix.expired(new Date(1000))).toEqual([1]);
    expect(ix.list()[0]!.expireAfterSeconds).toBe(0);
  });
});

describe('index specs', () => {
  it('re-creating an identical index is a no-op; conflicts give 85/86', () => {
    const ix = createIndexSetExt('db.c');
    expect(ix.create({ name: 'a_1', key: { a: 1 } }, [])).toBe(true);
    expect(ix.create({ name: 'a_1', key: { a: new Int32(1) as never } }, [])).toBe(false);
    expect(catchErr(() => ix.create({ name: 'a_1', key: { a: -1 } }, [])).code).toBe(86);
    expect(catchErr(() => ix.create({ name: 'a_1', key: { a: 1 }, unique: true }, [])).code).toBe(85);
    expect(catchErr(() => ix.create({ name: 'other', key: { a: 1 } }, [])).code).toBe(85);
    // same key with a different partial filter is a distinct index
    expect(ix.create({ name: 'a_partial', key: { a: 1 }, partialFilterExpression: { a: { $gt: 1 } } }, [])).toBe(true);
    expect(catchErr(() => ix.create({ name: 'z', key: { z: 0 as never } }, [])).code).toBe(67);
  });
  it('drop: _id_ cannot be dropped, unknown names give 27', () => {
    const s = new Store();
    expect(catchErr(() => s.ix.drop('_id_')).code).toBe(72);
    expect(catchErr(() => s.ix.drop('nope')).code).toBe(27);
    s.createIndex({ name: 'a_1', key: { a: 1 } });
    s.ix.drop('a_1');
    expect(s.ix.list().map((i) => i.name)).toEqual(['_id_']);
  });
  it('lists text indexes like MongoDB', () => {
    const s = new Store();
    s.createIndex({ name: 'body_text', key: { body: 'text' }, weights: { body: 5 } });
    expect(s.ix.list()[1]).toMatchObject({ v: 2, name: 'body_text', key: { _fts: 'text', _ftsx: 1 }, weights: { body: 5 }, default_language: 'english', textIndexVersion: 3 });
    expect(s.createIndex({ name: 'body_text', key: { body: 'text' }, weights: { body: 5 } })).toBe(false);
    expect(catchErr(() => s.createIndex({ name: 'title_text', key: { title: 'text' } })).code).toBe(85);
  });
});

describe('update and remove keep indexes consistent', () => {
  it('moves keys on update and drops them on remove', () => {
    const s = new Store();
    s.createIndex({ name: 'a_1', key: { a: 1 } });
    const id = s.insert({ _id: new ObjectId(), a: 1 });
    s.update(id, { ...s.docs.get(id)!, a: 2 });
    expect(s.find({ a: 1 })).toEqual([]);
    expect(s.find({ a: 2 })).toEqual([id]);
    expect(s.find({ a: { $gte: 2 } })).toEqual([id]);
    s.remove(id);
    expect(s.find({ a: 2 })).toEqual([]);
    expect(s.find({ a: { $gte: 0 } })).toEqual([]);
  });
});

describe('listIndexes round trip (journal replay re-creates from list())', () => {
  it('re-creating every listed index on a fresh set gives the same listing and behaviour', () => {
    const s = new Store();
    s.createIndex({ name: 'body_text', key: { body: 'text', title: 'text' }, weights: { title: 3 } });
    s.createIndex({ name: 'n', key: { n: 1 }, unique: true, collation: { locale: 'en', strength: 2 } });
    s.createIndex({ name: 'p', key: { a: -1, b: 1 }, partialFilterExpression: { a: { $gt: 1 } }, sparse: true });
    s.createIndex({ name: 'ttl', key: { at: 1 }, expireAfterSeconds: 10 });
    const listed = s.ix.list();
    const fresh = createIndexSetExt('db.c');
    for (const spec of listed) expect(fresh.create(spec, [])).toBe(true);
    expect(fresh.list()).toEqual(listed);
    // and re-creating the listed forms on the original set is a no-op
    for (const spec of listed) expect(s.ix.create(spec, [])).toBe(false);
    fresh.insert(1, { _id: 1, n: 'abc', body: 'hello world' });
    expect(() => fresh.insert(2, { _id: 2, n: 'ABC' })).toThrow(/dup key/);
    expect([...fresh.textSearch({ $search: 'hello' }).keys()]).toEqual([1]);
  });
});

describe('BSON-typed documents and filters (as the engine passes them)', () => {
  it('plans with Int32/Long/Decimal filter values against double keys', () => {
    const s = new Store();
    s.createIndex({ name: 'x_1', key: { x: 1 } });
    const a = s.insert({ _id: 1, x: 5 });
    const b = s.insert({ _id: 2, x: new Int32(6) });
    const c = s.insert({ _id: 3, x: Long.fromString('9007199254740993') });
    expect(s.find({ x: new Int32(5) })).toEqual([a]);
    expect(s.find({ x: Decimal128.fromString('6.0') })).toEqual([b]);
    expect(s.find({ x: { $gt: Long.fromNumber(5) } }).sort()).toEqual([b, c]);
    expect(s.find({ x: Long.fromString('9007199254740993') })).toEqual([c]);
    expect(s.find({ x: 9007199254740992 })).toEqual([]);
    expect(s.ix.plan({ filter: {}, sort: { x: new Int32(-1) } as never }).providesSort).toBe(true);
  });
});

describe('stored key encodings (ObjectId and Date kept as flat strings)', () => {
  it('never confuses a NUL-prefixed user string with an encoded ObjectId or Date', () => {
    const s = new Store();
    s.createIndex({ name: 'k', key: { k: 1 }, unique: true });
    const oid = new ObjectId('41424344454647484950515a');
    const a = s.insert({ _id: 1, k: oid });
    const lookalike = '\0i' + 'ABCDEFGHIPQZ';
    const b = s.insert({ _id: 2, k: lookalike });
    const c = s.insert({ _id: 3, k: '\0\0x' });
    const d = s.insert({ _id: 4, k: new Date(5) });
    expect(s.find({ k: oid })).toEqual([a]);
    expect(s.find({ k: lookalike })).toEqual([b]);
    expect(s.find({ k: '\0\0x' })).toEqual([c]);
    expect(s.find({ k: new Date(5) })).toEqual([d]);
    // type order through the tree: strings < ObjectId < Date
    const p = s.ix.plan({ filter: {}, sort: { k: 1 } });
    // '\0\0x' < '\0iABC…' (binary), then the ObjectId, then the Date
    expect([...p.candidates!]).toEqual([c, b, a, d]);
    const e = (() => {
      try {
        s.insert({ _id: 5, k: new ObjectId('41424344454647484950515a') });
      } catch (err) {
        return err as MongoError;
      }
    })();
    expect(e?.extra.keyValue).toEqual({ k: oid });
    const e2 = (() => {
      try {
        s.insert({ _id: 6, k: new Date(5) });
      } catch (err) {
        return err as MongoError;
      }
    })();
    expect(e2?.extra.keyValue).toEqual({ k: new Date(5) });
  });

  it('orders dates (including before 1970) and ObjectIds like BSON, in both directions', () => {
    const s = new Store();
    s.createIndex({ name: 'at_-1', key: { at: -1 } });
    const dates = [new Date(-86400000), new Date(0), new Date(1), new Date(1.7e12), new Date(-1)];
    const ids = dates.map((at, i) => s.insert({ _id: i, at }));
    const asc = [...s.ix.plan({ filter: {}, sort: { at: 1 } }).candidates!];
    expect(asc).toEqual([ids[0], ids[4], ids[1], ids[2], ids[3]]);
    const range = [...s.ix.plan({ filter: { at: { $gte: new Date(0), $lt: new Date(2e12) } } }).candidates!].sort();
    expect(range).toEqual([ids[1], ids[2], ids[3]].sort());
    const byId = [...s.ix.plan({ filter: { _id: { $gt: 2 } }, sort: { _id: -1 } }).candidates!];
    expect(byId).toEqual([ids[4], ids[3]]);
  });
});
