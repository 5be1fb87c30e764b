import { describe, expect, it } from 'vitest';
import type { Document } from 'bson';
import { createIndexSet, createIndexSetExt } from '../../src/indexes/index.js';
import { parseSearch, stem, terms } from '../../src/indexes/text.js';
import type { MongoError } from '../../src/errors.js';

function textSet(docs: Document[], spec: Document = { name: 'body_text', key: { body: 'text' } }) {
  const ix = createIndexSet('db.messages');
  ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
  ix.create(spec as never, []);
  docs.forEach((d, i) => ix.insert(i + 1, { _id: i + 1, ...d }));
  return ix;
}

describe('tokenising', () => {
  it('folds case and diacritics, drops stop words, stems lightly', () => {
    expect(terms('The Café is OPEN and the cafés are opening')).toEqual(['cafe', 'open', 'cafe', 'open']);
    expect(terms('Ünïcödé naïve résumé, 東京 tokens!')).toEqual(['unicod', 'naiv', 'resum', '東京', 'token']);
    expect(stem('messages')).toBe(stem('message'));
    expect(stem('running')).toBe('run');
    expect(terms('the and', 'none')).toEqual(['the', 'and']);
  });
  it('parses terms, phrases and negations', () => {
    expect(parseSearch('coffee "hot tea" -milk -"iced latte"')).toEqual({ positive: ['coffee', 'hot tea'], negative: ['milk'], phrases: ['hot tea'], negPhrases: ['iced latte'] });
  });
});

describe('$text search', () => {
  const docs = [
    { body: 'Refund requested for the broken kettle' },
    { body: 'Kettle kettle kettle: refund refund please' },
    { body: 'Where is my parcel? The parcel is late' },
    { body: 'The refund for the parcel arrived, thanks' },
    { body: 'Résumé attached' },
  ];
  const ix = textSet(docs);

  it('matches any term and scores by frequency', () => {
    const r = ix.textSearch({ $search: 'kettle' });
    expect([...r.keys()].sort()).toEqual([1, 2]);
    expect(r.get(2)!).toBeGreaterThan(r.get(1)!);
    const any = ix.textSearch({ $search: 'kettle parcel' });
    expect([...any.keys()].sort()).toEqual([1, 2, 3, 4]);
  });

  it('is case and diacritic insensitive by default', () => {
    expect([...ix.textSearch({ $search: 'RESUME' }).keys()]).toEqual([5]);
    expect([...ix.textSearch({ $search: 'resume', $diacriticSensitive: true }).keys()]).toEqual([]);
    expect([...ix.textSearch({ $search: 'Résumé', $diacriticSensitive: true }).keys()]).toEqual([5]);
    expect([...ix.textSearch({ $search: 'KETTLE', $caseSensitive: true }).keys()]).toEqual([]);
    expect([...ix.textSearch({ $search: 'Kettle', $caseSensitive: true }).keys()]).toEqual([2]);
  });

  it('requires every phrase and excludes negated terms', () => {
    expect([...ix.textSearch({ $search: '"parcel is late"' }).keys()]).toEqual([3]);
    expect([...ix.textSearch({ $search: 'refund -parcel' }).keys()].sort()).toEqual([1, 2]);
    expect([...ix.textSearch({ $search: 'refund -"broken kettle"' }).keys()].sort()).toEqual([2, 4]);
    expect([...ix.textSearch({ $search: '-refund' }).keys()]).toEqual([]);
  });

  it('keeps postings in step with updates and removals', () => {
    const t = textSet([{ body: 'alpha beta' }]);
    t.update(1, { _id: 1, body: 'alpha beta' }, { _id: 1, body: 'gamma' });
    expect(t.textSearch({ $search: 'alpha' }).size).toBe(0);
    expect(t.textSearch({ $search: 'gamma' }).size).toBe(1);
    t.remove(1, { _id: 1, body: 'gamma' });
    expect(t.textSearch({ $search: 'gamma' }).size).toBe(0);
  });

  it('applies field weights', () => {
    const t = textSet([{ title: 'invoice', body: 'hello' }, { title: 'hello', body: 'invoice' }], { name: 'tb', key: { title: 'text', body: 'text' }, weights: { title: 10 } });
    const r = t.textSearch({ $search: 'invoice' });
    expect(r.get(1)! / r.get(2)!).toBeCloseTo(10);
  });

  it('supports the $** wildcard over nested strings', () => {
    const t = textSet([{ a: { b: ['deep value'] } }, { c: 5 }], { name: 'all', key: { '$**': 'text' } });
    expect([...t.textSearch({ $search: 'deep' }).keys()]).toEqual([1]);
  });

  it('plans $text filters through the text index and errors without one', () => {
    const p = ix.plan({ filter: { $text: { $search: 'parcel' } } });
    expect(p.stage).toContain('TEXT');
    expect([...p.candidates!].sort()).toEqual([3, 4]);
    const none = createIndexSet('db.x');
    let err: MongoError | undefined;
    try {
      none.textSearch({ $search: 'x' });
    } catch (e) {
      err = e as MongoError;
    }
    expect(err?.code).toBe(27);
  });
});

describe('large posting lists', () => {
  it('stay correct through appends, out-of-order re-inserts and deletes past the block size', () => {
    const ix = createIndexSet('db.big');
    ix.create({ name: 't', key: { body: 'text' } }, []);
    const n = 6000;
    const alive = new Map<number, string>();
    for (let i = 1; i <= n; i++) {
      const body = i % 2 ? 'common word' : 'common common other';
      ix.insert(i, { _id: i, body });
      alive.set(i, body);
    }
    for (let i = 1; i <= n; i += 3) {
      ix.remove(i, { _id: i, body: alive.get(i)! });
      alive.delete(i);
    }
    for (let i = 2; i <= n; i += 7) {
      if (!alive.has(i)) continue;
      ix.update(i, { _id: i, body: alive.get(i)! }, { _id: i, body: 'other only' });
      alive.set(i, 'other only');
    }
    const common = ix.textSearch({ $search: 'common' });
    const expected = [...alive].filter(([, b]) => b.includes('common')).map(([id]) => id);
    expect([...common.keys()].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    // two occurrences in a three-word text score higher than one in two words
    const anyDouble = expected.find((id) => alive.get(id)!.startsWith('common common'))!;
    const anySingle = expected.find((id) => alive.get(id) === 'common word')!;
    expect(common.get(anyDouble)!).toBeGreaterThan(common.get(anySingle)!);
    const other = ix.textSearch({ $search: 'other -common' });
    expect([...other.keys()].every((id) => alive.get(id) === 'other only')).toBe(true);
  });

  it('checks phrases through a document loader when one is set', () => {
    const docs = new Map<number, Document>([
      [1, { _id: 1, body: 'late parcel again' }],
      [2, { _id: 2, body: 'parcel is late' }],
    ]);
    const ix = createIndexSetExt('db.l');
    ix.setDocumentLoader((id) => docs.get(id));
    ix.create({ name: 't', key: { body: 'text' } }, docs.entries());
    expect([...ix.textSearch({ $search: '"late parcel"' }).keys()]).toEqual([1]);
  });
});
