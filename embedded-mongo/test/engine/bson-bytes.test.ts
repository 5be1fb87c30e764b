/**
 * The insert path decodes index fields straight from the bytes (decodeFields): it must give what
 * bson's typed deserialisation gives, and step aside (null) for anything it does not handle.
 */
import { describe, expect, it } from 'vitest';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, deserialize, serialize } from 'bson';
import { decodeFields, pickFields } from '../../src/engine/bson-bytes.js';

const TYPED = { promoteValues: false, promoteLongs: false, promoteBuffers: false } as const;
const bytes = (d: Record<string, unknown>) => Buffer.from(serialize(d));

describe('decodeFields', () => {
  it('matches typed deserialisation for scalar types', () => {
    const doc = {
      _id: new ObjectId(), pad: 'x'.repeat(40), i: new Int32(-7), d: new Double(2.5), whole: new Double(3), l: Long.fromString('9007199254740993'),
      s: 'héllo ✓ 𝄞', t: true, f: false, n: null, at: new Date(-1_234_567_890_123), later: new Date(4_102_444_800_000), nested: { i: 1 },
    };
    const names = new Set(['_id', 'i', 'd', 'whole', 'l', 's', 't', 'f', 'n', 'at', 'later', 'missing']);
    const buf = bytes(doc);
    expect(decodeFields(buf, names)).toEqual(deserialize(pickFields(buf, names), TYPED));
  });

  it('returns null for types it leaves to bson', () => {
    for (const v of [{ a: 1 }, [1, 2], new Binary(Buffer.from('z')), Decimal128.fromString('1.5'), /re/]) {
      expect(decodeFields(bytes({ _id: 1, v }), new Set(['_id', 'v']))).toBeNull();
    }
    // Fields not asked for may be anything.
    expect(decodeFields(bytes({ _id: new Int32(1), v: [1] }), new Set(['_id']))).toEqual({ _id: new Int32(1) });
  });

  it('keeps the last of repeated names and never sets a prototype', () => {
    const twice = Buffer.concat([bytes({ a: 1 }).subarray(0, -1), bytes({ a: 2 }).subarray(4)]);
    twice.writeInt32LE(twice.length, 0);
    expect(decodeFields(twice, new Set(['a']))).toEqual({ a: new Int32(2) });
    const proto = Buffer.from(serialize({ ['__proto__']: 5 } as Record<string, unknown>));
    expect(decodeFields(proto, new Set(['__proto__']))).toBeNull();
  });
});
