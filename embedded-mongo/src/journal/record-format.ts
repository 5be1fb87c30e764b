/**
 * On-disk record format shared by journal and snapshot files.
 *
 *   record  = [u32 LE payload length][u32 LE crc32(payload)][payload]
 *   payload = BSON { ops: [...] }            one committed batch (atomic on replay)
 *           | BSON { end: true, records: n } snapshot trailer: proves the snapshot is complete
 *
 * put/delete carry their document bytes as BSON Binary so the stored document is byte-exact on replay.
 * Metadata documents (collection options, index specs) go through plain BSON: numbers come back as JS
 * numbers (Long only above 2^53), Decimal128/ObjectId/Date keep their classes.
 */
import { crc32 } from 'node:zlib';
import { Binary, BSON, type Document } from 'bson';
import type { JournalOp } from '../contracts.js';

export const HEADER_BYTES = 8;

/**
 * Encodes one batch as a complete framed record (header + payload), producing the same bytes as
 * frame(BSON.serialize({ ops: ops.map(opToBson) })). put/delete ops are laid out by hand: they are
 * nearly all of the volume (every write, every document of a snapshot) and their document bytes are
 * already BSON, so this is one allocation and a memcpy instead of a generic serialisation.
 */
export function encodeBatchRecord(ops: readonly JournalOp[]): Buffer {
  return assembleBatchRecord(ops.map(prepareOp));
}

/** Builds the record from ops prepared with prepareOp (which may have happened earlier). */
export function assembleBatchRecord(elems: readonly PreparedOp[]): Buffer {
  let arrayLen = 4 + 1;
  for (let i = 0; i < elems.length; i++) arrayLen += 1 + decimalLen(i) + 1 + elems[i]!.size;
  const payloadLen = 4 + 1 + 4 + arrayLen + 1; // { ops: [...] }
  const out = Buffer.allocUnsafe(HEADER_BYTES + payloadLen);
  let at = HEADER_BYTES;
  at = out.writeInt32LE(payloadLen, at);
  out[at++] = 0x04;
  out.set(OPS_KEY, at);
  at += OPS_KEY.length;
  at = out.writeInt32LE(arrayLen, at);
  for (let i = 0; i < elems.length; i++) {
    out[at++] = 0x03;
    at = writeDecimalKey(out, at, i);
    at = elems[i]!.write(out, at);
  }
  out[at++] = 0x00;
  out[at++] = 0x00;
  if (at !== out.length) throw new Error(`journal record encoding size mismatch (${at} != ${out.length})`);
  out.writeUInt32LE(payloadLen, 0);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 4);
  return out;
}

/**
 * One op ready to be laid out: metadata already serialised, document bytes held by reference (the
 * engine never mutates a document buffer it has handed over; it replaces it).
 */
export interface PreparedOp {
  /** Encoded size of the op's BSON document. */
  size: number;
  write(out: Buffer, at: number): number;
}

const OPS_KEY = Buffer.from('ops\0', 'latin1');
const BYTES_KEY: Record<string, Buffer> = { put: Buffer.from('doc\0', 'latin1'), delete: Buffer.from('id\0', 'latin1') };

/**
 * The fields before the bytes (op, db, coll) are the same for every write to a collection:
 * encode them once per namespace.
 */
const prefixCache = new Map<string, Uint8Array>();

function fieldsPrefix(op: string, db: string, coll: string): Uint8Array {
  const key = `${op}\0${db}\0${coll}`;
  let prefix = prefixCache.get(key);
  if (!prefix) {
    if (prefixCache.size > 10_000) prefixCache.clear();
    prefix = BSON.serialize({ op, db, coll }).subarray(4, -1); // the elements only
    prefixCache.set(key, prefix);
  }
  return prefix;
}

export function prepareOp(op: JournalOp): PreparedOp {
  const bytesKey = BYTES_KEY[op.op];
  if (bytesKey) {
    const keys = Object.keys(op);
    const field = op.op === 'put' ? 'doc' : 'id';
    if (keys.length === 4 && keys[0] === 'op' && keys[1] === 'db' && keys[2] === 'coll' && keys[3] === field) {
      const { db, coll } = op as { db: string; coll: string };
      const bytes = (op as Record<string, unknown>)[field] as Uint8Array;
      const prefix = fieldsPrefix(op.op, db, coll);
      // { op, db, coll, doc|id: <binary subtype 0> }
      const size = 4 + prefix.length + 1 + bytesKey.length + 4 + 1 + bytes.length + 1;
      return {
        size,
        write(out, at) {
          at = out.writeInt32LE(size, at);
          out.set(prefix, at);
          at += prefix.length;
          out[at++] = 0x05;
          out.set(bytesKey, at);
          at += bytesKey.length;
          at = out.writeInt32LE(bytes.length, at);
          out[at++] = 0x00; // generic binary subtype
          out.set(bytes, at);
          at += bytes.length;
          out[at++] = 0x00;
          return at;
        },
      };
    }
  }
  const bytes = BSON.serialize(opToBson(op), { ignoreUndefined: true });
  return {
    size: bytes.length,
    write(out, at) {
      out.set(bytes, at);
      return at + bytes.length;
    },
  };
}

/** Writes the array index `i` as a BSON key (decimal digits, then NUL). */
function writeDecimalKey(out: Buffer, at: number, i: number): number {
  const len = decimalLen(i);
  for (let k = len - 1; k >= 0; k--) {
    out[at + k] = 0x30 + (i % 10);
    i = Math.floor(i / 10);
  }
  out[at + len] = 0x00;
  return at + len + 1;
}

function decimalLen(i: number): number {
  let len = 1;
  while (i >= 10) {
    i = Math.floor(i / 10);
    len++;
  }
  return len;
}

/** Reference encoding (generic BSON); the tests check encodeBatchRecord against it. */
export function encodeBatchRecordGeneric(ops: readonly JournalOp[]): Buffer {
  return frame(BSON.serialize({ ops: ops.map(opToBson) }, { ignoreUndefined: true }));
}

export function encodeTrailerRecord(records: number): Buffer {
  return frame(BSON.serialize({ end: true, records }));
}

export function frame(payload: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  record.set(payload, HEADER_BYTES);
  return record;
}

function opToBson(op: JournalOp): Document {
  switch (op.op) {
    case 'put':
      return { ...op, doc: new Binary(op.doc) };
    case 'delete':
      return { ...op, id: new Binary(op.id) };
    default:
      return op;
  }
}

export type DecodedPayload = { kind: 'batch'; ops: JournalOp[] } | { kind: 'trailer'; records: number };

/** Throws on anything that is not a well-formed payload; the caller treats that as corruption. */
export function decodePayload(payload: Uint8Array): DecodedPayload {
  const doc = BSON.deserialize(payload, { promoteBuffers: false });
  if (doc.end === true && typeof doc.records === 'number') return { kind: 'trailer', records: doc.records };
  if (!Array.isArray(doc.ops)) throw new Error('record payload has no ops array');
  return { kind: 'batch', ops: doc.ops.map(opFromBson) };
}

const OP_NAMES = new Set([
  'createCollection', 'dropCollection', 'dropDatabase', 'renameCollection',
  'createIndex', 'dropIndex', 'collMod', 'put', 'delete',
]);

function opFromBson(raw: Document): JournalOp {
  if (!raw || typeof raw.op !== 'string' || !OP_NAMES.has(raw.op)) {
    throw new Error(`unknown journal op ${JSON.stringify(raw?.op)}`);
  }
  if (raw.op === 'put') return { ...raw, doc: binaryBytes(raw.doc) } as JournalOp;
  if (raw.op === 'delete') return { ...raw, id: binaryBytes(raw.id) } as JournalOp;
  return raw as JournalOp;
}

function binaryBytes(value: unknown): Uint8Array {
  if (!(value instanceof Binary)) throw new Error('put/delete op without Binary bytes');
  // Copy: the deserialized Binary may be a view into a large read buffer which the engine
  // would otherwise keep alive for as long as it keeps the document bytes.
  return new Uint8Array(value.buffer.subarray(0, value.position));
}

