/**
 * Message framing: the 16-byte header shared by every opcode, and the body parsers for OP_MSG and
 * the legacy OP_QUERY (only used for the initial isMaster/hello handshake).
 */
import { deserialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_SIZE = 48_000_000;
export const HEADER_SIZE = 16;

export const FLAG_CHECKSUM = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;

/** Deserialisation that keeps every BSON type (Int32, Double, Long, Decimal128, Binary). */
export const TYPED = { promoteValues: false, promoteLongs: false, promoteBuffers: false } as const;

export class ProtocolError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export function readHeader(buf: Buffer, at = 0): Header {
  return {
    length: buf.readInt32LE(at),
    requestId: buf.readInt32LE(at + 4),
    responseTo: buf.readInt32LE(at + 8),
    opCode: buf.readInt32LE(at + 12),
  };
}

export interface ParsedMsg {
  flags: number;
  body: Document;
  /** Raw bytes of each document of the kind-1 sequences, keyed by identifier (e.g. `documents`).
   *  Views into the message buffer: copy before keeping them. */
  rawSequences: Map<string, Buffer[]>;
}

/** Splits a run of concatenated BSON documents. The slices are views into the message: copy before storing. */
function splitDocs(buf: Buffer, start: number, end: number): Buffer[] {
  const docs: Buffer[] = [];
  let at = start;
  while (at < end) {
    if (at + 5 > end) throw new ProtocolError('truncated document in sequence');
    const len = buf.readInt32LE(at);
    if (len < 5 || at + len > end) throw new ProtocolError('bad document length in sequence');
    docs.push(buf.subarray(at, at + len));
    at += len;
  }
  return docs;
}

/** `msg` is the whole message including the header. */
export function parseOpMsg(msg: Buffer): ParsedMsg {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // Unknown required bits (0-15 other than checksum/moreToCome) must make us fail.
  if ((flags & 0xffff) & ~(FLAG_CHECKSUM | FLAG_MORE_TO_COME)) throw new ProtocolError('unknown required OP_MSG flag');
  // The CRC-32C trailer is optional to verify; we skip it rather than choke on it.
  const end = flags & FLAG_CHECKSUM ? msg.length - 4 : msg.length;
  let at = HEADER_SIZE + 4;
  let body: Document | undefined;
  const rawSequences = new Map<string, Buffer[]>();
  while (at < end) {
    const kind = msg[at++];
    if (kind === 0) {
      if (at + 4 > end) throw new ProtocolError('truncated body');
      const len = msg.readInt32LE(at);
      if (len < 5 || at + len > end) throw new ProtocolError('bad body length');
      if (body) throw new ProtocolError('more than one body section');
      body = deserialize(msg.subarray(at, at + len), TYPED);
      at += len;
    } else if (kind === 1) {
      if (at + 4 > end) throw new ProtocolError('truncated sequence');
      const len = msg.readInt32LE(at);
      if (len < 4 || at + len > end) throw new ProtocolError('bad sequence length');
      const nameEnd = msg.indexOf(0, at + 4);
      if (nameEnd < 0 || nameEnd >= at + len) throw new ProtocolError('bad sequence identifier');
      const name = msg.toString('utf8', at + 4, nameEnd);
      const docs = splitDocs(msg, nameEnd + 1, at + len);
      rawSequences.set(name, [...(rawSequences.get(name) ?? []), ...docs]);
      at += len;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without body');
  return { flags, body, rawSequences };
}

export interface ParsedQuery {
  flags: number;
  collection: string;
  query: Document;
}

export function parseOpQuery(msg: Buffer): ParsedQuery {
  const flags = msg.readInt32LE(HEADER_SIZE);
  const nameEnd = msg.indexOf(0, HEADER_SIZE + 4);
  if (nameEnd < 0) throw new ProtocolError('bad collection name');
  const collection = msg.toString('utf8', HEADER_SIZE + 4, nameEnd);
  let at = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  if (at + 4 > msg.length) throw new ProtocolError('truncated query');
  const len = msg.readInt32LE(at);
  if (len < 5 || at + len > msg.length) throw new ProtocolError('bad query length');
  let query = deserialize(msg.subarray(at, at + len), TYPED);
  at += len;
  // Legacy wrapping: { $query: {...}, $readPreference: ... }
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { flags, collection, query };
}
