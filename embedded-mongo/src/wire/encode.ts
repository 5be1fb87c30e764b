/**
 * Reply encoding. Replies are ordinary objects, except that a `RawDocs` value (a list of stored
 * BSON documents) is spliced in byte for byte: stored documents are sent without re-serialising.
 */
import { serialize as bsonSerialize, type Document } from 'bson';

const serialize = (d: Document): Buffer => { const u = bsonSerialize(d); return Buffer.from(u.buffer, u.byteOffset, u.byteLength); };
import { FLAG_MORE_TO_COME, HEADER_SIZE, OP_MSG, OP_REPLY } from './framing.js';

/** An array of already-encoded BSON documents, emitted as a BSON array without re-encoding. */
export class RawDocs {
  constructor(readonly docs: Buffer[]) {}
}

function hasRaw(value: unknown, depth = 0): boolean {
  if (value instanceof RawDocs) return true;
  if (depth > 2 || !value || typeof value !== 'object' || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const v of Object.values(value)) if (hasRaw(v, depth + 1)) return true;
  return false;
}

/** Encoded size of a BSON array of stored documents. */
function rawArraySize(docs: Buffer[]): number {
  let size = 4 + 1;
  for (let i = 0; i < docs.length; i++) size += 1 + String(i).length + 1 + docs[i]!.length;
  return size;
}

/** Writes a BSON array of stored documents at `at`; returns the offset after it. */
function writeRawArray(out: Buffer, at: number, docs: Buffer[]): number {
  out.writeInt32LE(rawArraySize(docs), at);
  at += 4;
  for (let i = 0; i < docs.length; i++) {
    out[at++] = 0x03;
    at += out.write(String(i), at, 'latin1');
    out[at++] = 0;
    at += docs[i]!.copy(out, at);
  }
  out[at++] = 0;
  return at;
}

/** A document to write: its size and its pieces (encoded bytes, stored documents, sub-documents). */
class Layout {
  constructor(
    readonly size: number,
    readonly pieces: (Buffer | RawDocs | Layout)[],
  ) {}
}

function layout(doc: Document): Layout {
  const pieces: (Buffer | RawDocs | Layout)[] = [];
  let size = 5;
  let plain: Document | undefined;
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    if (value === undefined) continue;
    if (value instanceof RawDocs) {
      const head = Buffer.from(`\x04${key}\0`, 'utf8');
      pieces.push(head, value);
      size += head.length + rawArraySize(value.docs);
    } else if (hasRaw(value)) {
      const head = Buffer.from(`\x03${key}\0`, 'utf8');
      const sub = layout(value as Document);
      pieces.push(head, sub);
      size += head.length + sub.size;
    } else {
      (plain ??= {})[key] = value;
    }
  }
  if (plain) {
    const one = serialize(plain);
    pieces.unshift(one.subarray(4, one.length - 1));
    size += one.length - 5;
  }
  return new Layout(size, pieces);
}

function writeLayout(out: Buffer, at: number, l: Layout): number {
  out.writeInt32LE(l.size, at);
  at += 4;
  for (const p of l.pieces) {
    if (p instanceof RawDocs) at = writeRawArray(out, at, p.docs);
    else if (p instanceof Layout) at = writeLayout(out, at, p);
    else at += p.copy(out, at);
  }
  out[at++] = 0;
  return at;
}

/**
 * Encodes a document, leaving `prefix` bytes in front for the message header; splices RawDocs
 * found at most two levels deep (e.g. cursor.firstBatch). The plain fields of a level are
 * serialised in one call and the spliced ones follow them (field order inside a reply carries no
 * meaning), and stored documents are copied once, straight into the reply buffer.
 */
export function encodeDoc(doc: Document, prefix = 0): Buffer {
  if (!hasRaw(doc)) {
    const one = serialize(doc);
    if (prefix === 0) return one;
    // allocUnsafe: every byte is written; small replies come from Node's pool instead of each
    // costing a zero-filled ArrayBuffer of its own (allocation + GC bookkeeping per reply).
    const out = Buffer.allocUnsafe(prefix + one.length);
    one.copy(out, prefix);
    return out;
  }
  const l = layout(doc);
  const out = Buffer.allocUnsafe(prefix + l.size);
  writeLayout(out, prefix, l);
  return out;
}

export function encodeOpMsg(requestId: number, responseTo: number, reply: Document, moreToCome = false): Buffer {
  const out = encodeDoc(reply, HEADER_SIZE + 4 + 1);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(moreToCome ? FLAG_MORE_TO_COME : 0, 16);
  out[20] = 0;
  return out;
}

export function encodeOpReply(requestId: number, responseTo: number, reply: Document): Buffer {
  const out = encodeDoc(reply, HEADER_SIZE + 20);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_REPLY, 12);
  out.writeInt32LE(8, 16); // responseFlags: AwaitCapable
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  return out;
}
