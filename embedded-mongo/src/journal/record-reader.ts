/**
 * Sequential reader of framed records (see record-format.ts) that never throws on bad data: it stops at
 * the first record that is short, fails its CRC or does not decode, and reports where and why, so the
 * caller can truncate there (journal) or refuse to start (snapshot).
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { decodePayload, HEADER_BYTES, type DecodedPayload } from './record-format.js';

const CHUNK = 1 << 20;

export interface BadRecord {
  /** File offset of the first byte that is not part of a good record. */
  offset: number;
  reason: string;
  /** True when the damage is confined to the last record: a write that was cut short. */
  tornTail: boolean;
}

export interface ReadRecord {
  offset: number;
  /** Offset just after this record. */
  end: number;
  decoded: DecodedPayload;
}

/** Yields good records in order; returns the first bad record, or null when the file ends cleanly. */
export async function* readRecords(fh: FileHandle, fileSize: number): AsyncGenerator<ReadRecord, BadRecord | null> {
  let buf = Buffer.alloc(0);
  let bufStart = 0; // file offset of buf[0]

  // Makes [pos, pos + n) available in buf; returns false if the file is shorter than that.
  const ensure = async (pos: number, n: number): Promise<boolean> => {
    if (pos + n > fileSize) return false;
    if (pos >= bufStart && pos + n <= bufStart + buf.length) return true;
    const want = Math.min(Math.max(n, CHUNK), fileSize - pos);
    const next = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(next, got, want - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    buf = next.subarray(0, got);
    bufStart = pos;
    return got >= n;
  };
  const at = (pos: number) => pos - bufStart;

  let pos = 0;
  while (pos < fileSize) {
    if (!(await ensure(pos, HEADER_BYTES))) {
      return { offset: pos, reason: `short header (${fileSize - pos} of ${HEADER_BYTES} bytes)`, tornTail: true };
    }
    const length = buf.readUInt32LE(at(pos));
    const expectedCrc = buf.readUInt32LE(at(pos) + 4);
    const end = pos + HEADER_BYTES + length;
    if (end > fileSize) {
      return {
        offset: pos,
        reason: `short record (header says ${length} payload bytes, only ${fileSize - pos - HEADER_BYTES} present)`,
        tornTail: true,
      };
    }
    await ensure(pos, HEADER_BYTES + length);
    const payload = buf.subarray(at(pos) + HEADER_BYTES, at(pos) + HEADER_BYTES + length);
    const actualCrc = crc32(payload);
    if (actualCrc !== expectedCrc) {
      return { offset: pos, reason: `bad CRC (stored ${hex(expectedCrc)}, computed ${hex(actualCrc)})`, tornTail: end === fileSize };
    }
    let decoded: DecodedPayload;
    try {
      decoded = decodePayload(payload);
    } catch (err) {
      return { offset: pos, reason: `unparsable payload (${(err as Error).message})`, tornTail: end === fileSize };
    }
    yield { offset: pos, end, decoded };
    pos = end;
  }
  return null;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
