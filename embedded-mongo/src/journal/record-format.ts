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

/** Encodes one batch as a complete framed record (header + payload). */
export function encodeBatchRecord(ops: readonly JournalOp[]): Buffer {
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

