import { describe, expect, it } from 'vitest';
import {
  BSONRegExp,
  BSONSymbol,
  Binary,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import fc from 'fast-check';
import { compareValues, equalityKey, getPathValues, makeSortComparator, sortKeyValue } from '../../src/bson-order.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('compareValues: canonical type order', () => {
  // One representative per canonical type, in MongoDB's ascending order.
  const ladder: unknown[] = [
    new MinKey(),
    null,
    NaN,
    -5,
    new Int32(3),
    'abc',
    new BSONSymbol('abd'),
    { a: 1 },
    [1, 2],
    new Binary(Buffer.from('xy')),
    new ObjectId('000000000000000000000001'),
    false,
    true,
    new Date(0),
    new Timestamp({ t: 1, i: 1 }),
    /abc/,
    new Code('function(){}'),
    new MaxKey(),
  ];

  it('orders every pair consistently with the ladder', () => {
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        expect(sign(compareValues(ladder[i], ladder[j])), `${i} vs ${j}`).toBe(sign(i - j));
      }
    }
  });

  it('treats undefined (missing) like null', () => {
    expect(compareValues(undefined, null)).toBe(0);
    expect(equalityKey(undefined)).toBe(equalityKey(null));
  });

  it('sorts a shuffled mixed array into type order', () => {
    const shuffled = [...ladder].reverse();
    shuffled.sort((a, b) => compareValues(a, b));
    expect(shuffled.map((v) => equalityKey(v))).toEqual(ladder.map((v) => equalityKey(v)));
  });

  it('compares objects field by field and arrays element-wise', () => {
    expect(compareValues({ a: 1 }, { a: 2 })).toBeLessThan(0);
    expect(compareValues({ a: 1 }, { b: 0 })).toBeLessThan(0);
    expect(compareValues({ a: 1 }, { a: 1, b: 1 })).toBeLessThan(0);
    expect(compareValues({ a: 'x' }, { a: 5 })).toBeGreaterThan(0); // type of value before name
    expect(compareValues([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareValues([1], [1, 0])).toBeLessThan(0);
    expect(compareValues([2], [1, 9])).toBeGreaterThan(0);
  });

  it('compares strings in binary (UTF-8) order', () => {
    expect(compareValues('B', 'a')).toBeLessThan(0);
    expect(compareValues('a', 'ab')).toBeLessThan(0);
    // U+FF61 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes), unlike UTF-16 code units.
    expect(compareValues('\uff61', '\u{1f600}')).toBeLessThan(0);
  });

  it('compares ObjectIds, dates, booleans, binaries, timestamps', () => {
    expect(compareValues(new ObjectId('000000000000000000000001'), new ObjectId('000000000000000000000002'))).toBeLessThan(0);
    expect(compareValues(new Date(1), new Date(2))).toBeLessThan(0);
    expect(compareValues(false, true)).toBeLessThan(0);
    expect(compareValues(new Binary(Buffer.from('z')), new Binary(Buffer.from('aa')))).toBeLessThan(0); // length first
    expect(compareValues(new Timestamp({ t: 1, i: 5 }), new Timestamp({ t: 2, i: 0 }))).toBeLessThan(0);
    expect(compareValues(new BSONRegExp('a', 'i'), /a/i)).toBe(0);
  });
});

describe('numbers across BSON classes', () => {
  it('equates 1, 1.0, Int32, Double, Long, Decimal128, bigint', () => {
    const ones = [1, new Double(1), new Int32(1), Long.fromNumber(1), Decimal128.fromString('1'), Decimal128.fromString('1.000'), 1n];
    for (const a of ones) {
      for (const b of ones) {
        expect(compareValues(a, b)).toBe(0);
        expect(equalityKey(a)).toBe(equalityKey(b));
      }
    }
  });

  it('treats -0 as 0 and NaN as the lowest number, equal to itself', () => {
    expect(equalityKey(-0)).toBe(equalityKey(0));
    expect(equalityKey(Decimal128.fromString('-0'))).toBe(equalityKey(0));
    expect(compareValues(NaN, -Infinity)).toBeLessThan(0);
    expect(compareValues(NaN, NaN)).toBe(0);
    expect(compareValues(Decimal128.fromString('NaN'), NaN)).toBe(0);
    expect(equalityKey(Decimal128.fromString('NaN'))).toBe(equalityKey(NaN));
    expect(compareValues(null, NaN)).toBeLessThan(0);
  });

  it('compares Long above 2^53 exactly', () => {
    const big = Long.fromString('9007199254740993'); // 2^53 + 1, not a double
    expect(compareValues(big, 9007199254740992)).toBeGreaterThan(0);
    expect(compareValues(big, 9007199254740994)).toBeLessThan(0);
    expect(compareValues(big, Long.fromString('9007199254740992'))).toBeGreaterThan(0);
    expect(equalityKey(big)).not.toBe(equalityKey(9007199254740992));
    expect(equalityKey(big)).toBe(equalityKey(Decimal128.fromString('9007199254740993')));
    expect(compareValues(Long.fromString('9223372036854775807'), Long.fromString('9223372036854775806'))).toBeGreaterThan(0);
    // 2^60 as a double prints as 1152921504606847000, which is a different integer
    expect(equalityKey(Long.fromString('1152921504606847000'))).not.toBe(equalityKey(2 ** 60));
    expect(equalityKey(Long.fromString('1152921504606846976'))).toBe(equalityKey(2 ** 60));
  });

  it('compares Decimal128 exactly against doubles', () => {
    const d01 = Decimal128.fromString('0.1');
    expect(compareValues(d01, 0.1)).toBeLessThan(0); // double 0.1 is 0.1000000000000000055...
    expect(equalityKey(d01)).not.toBe(equalityKey(0.1));
    expect(compareValues(Decimal128.fromString('0.5'), 0.5)).toBe(0);
    expect(equalityKey(Decimal128.fromString('0.50'))).toBe(equalityKey(0.5));
    expect(compareValues(Decimal128.fromString('1E+400'), Infinity)).toBeLessThan(0);
    expect(compareValues(Decimal128.fromString('1E+400'), Number.MAX_VALUE)).toBeGreaterThan(0);
    expect(compareValues(Decimal128.fromString('-Infinity'), -1e308)).toBeLessThan(0);
    expect(compareValues(Decimal128.fromString('1.10'), Decimal128.fromString('1.1'))).toBe(0);
    expect(compareValues(Decimal128.fromString('12345678901234567890.1'), Long.fromString('12345678901234567890'.slice(0, 19)))).toBeGreaterThan(0);
  });

  it('agrees with exact rational order on random integers and halves (property)', () => {
    const asClass = fc.constantFrom('num', 'long', 'dec', 'big', 'int32');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), asClass, asClass, (x, y, ca, cb) => {
        const make = (v: bigint, c: string): unknown => {
          if (c === 'long') return Long.fromBigInt(v);
          if (c === 'dec') return Decimal128.fromString(v.toString());
          if (c === 'big') return v;
          if (c === 'int32' && v >= -(2n ** 31n) && v < 2n ** 31n) return new Int32(Number(v));
          return Long.fromBigInt(v);
        };
        const a = ca === 'num' ? Number(x) : make(x, ca);
        const b = cb === 'num' ? Number(y) : make(y, cb);
        const ea = ca === 'num' ? BigInt(Number(x)) : x;
        const eb = cb === 'num' ? BigInt(Number(y)) : y;
        const expected = ea < eb ? -1 : ea > eb ? 1 : 0;
        expect(sign(compareValues(a, b))).toBe(expected);
        expect(equalityKey(a) === equalityKey(b)).toBe(expected === 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('collation', () => {
  const s1 = { locale: 'en', strength: 1 };
  const s2 = { locale: 'en', strength: 2 };
  it('strength 1 ignores case and accents', () => {
    expect(compareValues('café', 'CAFE', s1)).toBe(0);
    expect(equalityKey('café', s1)).toBe(equalityKey('CAFE', s1));
  });
  it('strength 2 ignores case only', () => {
    expect(compareValues('ABC', 'abc', s2)).toBe(0);
    expect(equalityKey('ABC', s2)).toBe(equalityKey('abc', s2));
    expect(compareValues('café', 'cafe', s2)).not.toBe(0);
    expect(equalityKey('café', s2)).not.toBe(equalityKey('cafe', s2));
  });
  it('uses locale order instead of binary order', () => {
    expect(compareValues('B', 'a')).toBeLessThan(0);
    expect(compareValues('B', 'a', { locale: 'en' })).toBeGreaterThan(0);
    expect(compareValues('item10', 'item9', { locale: 'en', numericOrdering: true })).toBeGreaterThan(0);
  });
  it('folds strings nested in objects and arrays', () => {
    expect(equalityKey({ a: ['X'] }, s2)).toBe(equalityKey({ a: ['x'] }, s2));
    expect(equalityKey({ a: ['X'] })).not.toBe(equalityKey({ a: ['x'] }));
  });
});

describe('equalityKey encodes structure unambiguously', () => {
  it('distinguishes types and nesting', () => {
    const values = ['1', 1, true, 'T', [1], [[1]], { a: 1 }, { a: [1] }, ['a', 'b'], ['a,b'], { 'a1:': 1 }, new Date(1), 'd1', null, []];
    const keys = new Set(values.map((v) => equalityKey(v)));
    expect(keys.size).toBe(values.length);
  });
  it('respects field order in objects', () => {
    expect(equalityKey({ a: 1, b: 2 })).not.toBe(equalityKey({ b: 2, a: 1 }));
    expect(equalityKey({ a: new Int32(1) })).toBe(equalityKey({ a: 1.0 }));
  });
});

describe('paths and sort keys', () => {
  it('traverses arrays on dotted paths', () => {
    expect(getPathValues({ a: [{ b: 1 }, { b: 2 }] }, 'a.b')).toEqual([1, 2]);
    expect(getPathValues({ a: { b: [1, 2] } }, 'a.b')).toEqual([[1, 2]]);
    expect(getPathValues({ a: [5, 6] }, 'a.1')).toEqual([6]);
    expect(getPathValues({}, 'a.b')).toEqual([undefined]);
  });
  it('sorts arrays by min ascending and max descending', () => {
    expect(sortKeyValue({ a: [3, 1, 2] }, 'a', 1)).toBe(1);
    expect(sortKeyValue({ a: [3, 1, 2] }, 'a', -1)).toBe(3);
    const docs = [{ a: [5, 0] }, { a: 2 }, {}, { a: 'x' }];
    expect([...docs].sort(makeSortComparator({ a: 1 }))).toEqual([{}, { a: [5, 0] }, { a: 2 }, { a: 'x' }]);
    expect([...docs].sort(makeSortComparator({ a: -1 }))).toEqual([{ a: 'x' }, { a: [5, 0] }, { a: 2 }, {}]);
  });
});

describe('date keys', () => {
  it('are exact and ordered for the whole date range', async () => {
    const { dateKey, dateFromKey } = await import('../../src/bson-order.js');
    const samples = [-8.64e15, -1e12 - 1, -1, 0, 1, 5, 1.7e12 + 3, 8.64e15, 2 ** 32, 2 ** 32 - 1, -(2 ** 32)];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...samples), fc.integer({ min: -8.64e15, max: 8.64e15 })), fc.integer({ min: -8.64e15, max: 8.64e15 }), (a, b) => {
        const ka = dateKey(new Date(a), 100);
        const kb = dateKey(new Date(b), 100);
        expect(dateFromKey(ka, 1).getTime()).toBe(a);
        expect(ka < kb ? -1 : ka > kb ? 1 : 0).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 3000 },
    );
  });
});
