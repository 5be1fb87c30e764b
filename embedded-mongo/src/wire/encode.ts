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

function cstring(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf8');
}

/** A BSON array of stored documents, written into one buffer (no per-element allocations). */
function rawArray(docs: Buffer[]): Buffer {
  let size = 4 + 1;
  for (let i = 0; i < docs.length; i++) size += 1 + String(i).length + 1 + docs[i]!.length;
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let at = 4;
  for (let i = 0; i < docs.length; i++) {
    out[at++] = 0x03;
    at += out.write(String(i), at, 'latin1');
    out[at++] = 0;
    at += docs[i]!.copy(out, at);
  }
  out[at] = 0;
  return out;
}

/**
 * Encodes a document; splices RawDocs found at most two levels deep (e.g. cursor.firstBatch).
 * The plain fields of a level are serialised in one call and the spliced ones follow them (field
 * order inside a reply carries no meaning), which keeps a find reply to two bson calls.
 */
export function encodeDoc(doc: Document): Buffer {
  if (!hasRaw(doc)) return serialize(doc);
  const parts: Buffer[] = [];
  let plain: Document | undefined;
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    if (value === undefined) continue;
    if (value instanceof RawDocs) {
      parts.push(Buffer.from([0x04]), cstring(key), rawArray(value.docs));
    } else if (hasRaw(value)) {
      parts.push(Buffer.from([0x03]), cstring(key), encodeDoc(value as Document));
    } else {
      (plain ??= {})[key] = value;
    }
  }
  if (plain) {
    const one = serialize(plain);
    parts.unshift(one.subarray(4, one.length - 1));
  }
  const body = Buffer.concat(parts);
  const out = Buffer.allocUnsafe(body.length + 5);
  out.writeInt32LE(out.length);
  body.copy(out, 4);
  out[out.length - 1] = 0;
  return out;
}

export function encodeOpMsg(requestId: number, responseTo: number, reply: Document, moreToCome = false): Buffer {
  const body = encodeDoc(reply);
  // allocUnsafe: every byte is written below, and small replies come from Node's pool instead of
  // each costing a zero-filled ArrayBuffer of its own (allocation + GC bookkeeping per reply).
  const out = Buffer.allocUnsafe(HEADER_SIZE + 4 + 1 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(moreToCome ? FLAG_MORE_TO_COME : 0, 16);
  out[20] = 0;
  body.copy(out, 21);
  return out;
}

export function encodeOpReply(requestId: number, responseTo: number, reply: Document): Buffer {
  const body = encodeDoc(reply);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 20 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_REPLY, 12);
  out.writeInt32LE(8, 16); // responseFlags: AwaitCapable
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  body.copy(out, 36);
  return out;
}
