/**
 * Byte-level edits of encoded BSON, to avoid a decode + encode round trip on the insert path:
 * the driver appends the `_id` it generates, and MongoDB stores `_id` first.
 */
import { Double, Int32, Long, ObjectId, type Document } from 'bson';

/** Size of an element's value of `type`, starting at `at` (just after its name); -1 for an unknown type. */
export function bsonValueSize(buf: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8;
    case 0x02: case 0x0d: case 0x0e: return 4 + buf.readInt32LE(at);
    case 0x03: case 0x04: case 0x0f: return buf.readInt32LE(at);
    case 0x05: return 5 + buf.readInt32LE(at);
    case 0x06: case 0x0a: case 0xff: case 0x7f: return 0;
    case 0x07: return 12;
    case 0x08: return 1;
    case 0x0b: { const a = buf.indexOf(0, at); return buf.indexOf(0, a + 1) + 1 - at; }
    case 0x0c: return 4 + buf.readInt32LE(at) + 12;
    case 0x10: return 4;
    case 0x13: return 16;
    default: return -1;
  }
}

/**
 * Offset of the NUL ending the element name that starts at `from` (-1 when there is none): a
 * byte loop, as names are short and Buffer#indexOf costs a native call (~50 ns) per element.
 */
function nameEnd(buf: Buffer, from: number): number {
  const n = buf.length;
  for (let i = from; i < n; i++) if (buf[i] === 0) return i;
  return -1;
}

function valueSize(buf: Buffer, type: number, at: number): number {
  const size = bsonValueSize(buf, type, at);
  if (size < 0) throw new Error(`unknown BSON type 0x${type.toString(16)}`);
  return size;
}

/** Start offset of the `_id` element of a document, or -1 when it has none. */
export function findId(buf: Buffer): number {
  const end = buf.readInt32LE(0) - 1;
  let at = 4;
  while (at < end) {
    const ne = nameEnd(buf, at + 1);
    if (ne - at - 1 === 3 && buf[at + 1] === 0x5f && buf[at + 2] === 0x69 && buf[at + 3] === 0x64) return at;
    at = ne + 1 + valueSize(buf, buf[at]!, ne + 1);
  }
  return -1;
}

/** End offset of the element starting at `at`. */
export function elementEnd(buf: Buffer, at: number): number {
  const ne = nameEnd(buf, at + 1);
  return ne + 1 + valueSize(buf, buf[at]!, ne + 1);
}

/** The document with its `_id` element moved to the front, or null when `_id` is first or absent. */
export function moveIdFirst(buf: Buffer): Buffer | null {
  const start = findId(buf);
  if (start <= 4) return null;
  const next = elementEnd(buf, start);
  const out = Buffer.allocUnsafe(buf.length);
  buf.copy(out, 0, 0, 4);
  buf.copy(out, 4, start, next);
  buf.copy(out, 4 + next - start, 4, start);
  buf.copy(out, next, next);
  return out;
}

interface EncodedName {
  bytes: Buffer;
  name: string;
}

/**
 * The names as UTF-8 bytes grouped by byte length, so elements can be matched without decoding.
 * Cached per set (the insert path reuses one set per index layout) and per spelling (a query
 * builds a fresh set each time, with the same few names).
 */
const bySet = new WeakMap<ReadonlySet<string>, Map<number, EncodedName[]>>();
const bySpelling = new Map<string, Map<number, EncodedName[]>>();
function namesByLength(names: ReadonlySet<string>): Map<number, EncodedName[]> {
  let m = bySet.get(names);
  if (m) return m;
  const spelling = [...names].join('\0');
  m = bySpelling.get(spelling);
  if (!m) {
    m = new Map();
    for (const name of names) {
      const bytes = Buffer.from(name, 'utf8');
      m.set(bytes.length, [...(m.get(bytes.length) ?? []), { bytes, name }]);
    }
    if (bySpelling.size >= 1000) bySpelling.clear(); // bounded: queries may name anything
    bySpelling.set(spelling, m);
  }
  bySet.set(names, m);
  return m;
}

/** The name of the set spelled by buf[start, end), if any. */
function nameAt(buf: Buffer, start: number, end: number, byLength: Map<number, EncodedName[]>): string | undefined {
  const candidates = byLength.get(end - start);
  if (!candidates) return undefined;
  for (const c of candidates) {
    let i = 0;
    while (i < c.bytes.length && c.bytes[i] === buf[start + i]) i++;
    if (i === c.bytes.length) return c.name;
  }
  return undefined;
}

/**
 * The named top-level fields decoded straight from the bytes, typed as `deserialize(…, TYPED)`
 * would give them (Int32, Double, Long, ObjectId, Date, string, boolean, null), or null when one
 * of them has another type (sub-document, array, binary, …) or is not valid UTF-8: callers then
 * take the general path. Saves a copy and a full BSON decode per inserted document.
 * `plainNumbers`: Int32 and Double as JS numbers, for callers that only derive index keys (which
 * hold plain numbers either way), saving a wrapper object per field.
 * `idSpan`, when given (and `_id` is among the names), receives the `_id` element's byte range
 * (start -1: no `_id`), so the insert path walks the document once.
 */
export function decodeFields(buf: Buffer, names: ReadonlySet<string>, plainNumbers = false, idSpan?: { start: number; end: number }): Document | null {
  const byLength = namesByLength(names);
  const end = buf.readInt32LE(0) - 1;
  const out: Document = {};
  if (idSpan) idSpan.start = -1;
  let at = 4;
  while (at < end) {
    const type = buf[at]!;
    const ne = nameEnd(buf, at + 1);
    const v = ne + 1;
    const next = v + valueSize(buf, type, v);
    const name = nameAt(buf, at + 1, ne, byLength);
    if (name !== undefined) {
      if (name === '__proto__') return null;
      if (idSpan && name === '_id') {
        idSpan.start = at;
        idSpan.end = next;
      }
      switch (type) {
        case 0x01: out[name] = plainNumbers ? buf.readDoubleLE(v) : new Double(buf.readDoubleLE(v)); break;
        case 0x02: {
          const s = buf.toString('utf8', v + 4, next - 1);
          if (s.includes('\uFFFD')) return null; // maybe invalid UTF-8: let bson decide
          out[name] = s;
          break;
        }
        case 0x07: out[name] = objectIdAt(buf, v); break;
        case 0x08: if (buf[v]! > 1) return null; out[name] = buf[v] === 1; break;
        case 0x09: out[name] = new Date(buf.readInt32LE(v + 4) * 4294967296 + buf.readUInt32LE(v)); break;
        case 0x0a: out[name] = null; break;
        case 0x10: out[name] = plainNumbers ? buf.readInt32LE(v) : new Int32(buf.readInt32LE(v)); break;
        case 0x12: out[name] = Long.fromBits(buf.readInt32LE(v), buf.readInt32LE(v + 4)); break;
        default: return null;
      }
    }
    at = next;
  }
  return out;
}

/** The ObjectId whose 12 bytes start at buf[at] (through a scratch copy: no view object per id). */
const OID_BYTES = new Uint8Array(12);
function objectIdAt(buf: Buffer, at: number): ObjectId {
  for (let i = 0; i < 12; i++) OID_BYTES[i] = buf[at + i]!;
  return new ObjectId(OID_BYTES);
}

/** A new document holding only the named top-level fields (byte copies, in stored order). */
export function pickFields(buf: Buffer, names: ReadonlySet<string>): Buffer {
  const byLength = namesByLength(names);
  const end = buf.readInt32LE(0) - 1;
  // Field positions as [start, next] pairs; names are compared as bytes (no string per field).
  const spans: number[] = [];
  let size = 5;
  let at = 4;
  while (at < end) {
    const start = at;
    const type = buf[at]!;
    const ne = nameEnd(buf, at + 1);
    const next = ne + 1 + valueSize(buf, type, ne + 1);
    if (nameAt(buf, at + 1, ne, byLength) !== undefined) {
      spans.push(start, next);
      size += next - start;
    }
    at = next;
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let w = 4;
  for (let i = 0; i < spans.length; i += 2) w += buf.copy(out, w, spans[i]!, spans[i + 1]!);
  out[w] = 0;
  return out;
}
