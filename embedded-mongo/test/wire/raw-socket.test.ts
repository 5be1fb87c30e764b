/**
 * Wire-level robustness over raw sockets: malformed, truncated, oversized and unknown messages
 * close only that connection; the server keeps answering others. Also the legacy OP_QUERY
 * handshake, kind-1 document sequences, checksums and moreToCome.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize, serialize, type Document } from 'bson';
import { startEmbeddedMongo } from '../../src/index.js';
import type { EmbeddedMongo } from '../../src/contracts.js';

let server: EmbeddedMongo;
beforeAll(async () => { server = await startEmbeddedMongo({ port: 0 }); });
afterAll(async () => server.stop());

function opMsg(body: Document, opts: { requestId?: number; flags?: number; seq?: [string, Document[]]; checksum?: boolean } = {}): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  if (opts.seq) {
    const docs = Buffer.concat(opts.seq[1].map((d) => Buffer.from(serialize(d))));
    const name = Buffer.from(opts.seq[0] + '\0');
    const len = Buffer.alloc(4);
    len.writeInt32LE(4 + name.length + docs.length);
    sections.push(Buffer.from([1]), len, name, docs);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((opts.flags ?? 0) | (opts.checksum ? 1 : 0));
  const payload = Buffer.concat([flags, ...sections, opts.checksum ? Buffer.alloc(4, 0xab) : Buffer.alloc(0)]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(opts.requestId ?? 7, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, payload]);
}

function opQuery(ns: string, query: Document): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(ns + '\0'), Buffer.alloc(4), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from(serialize(query))]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(9, 4);
  header.writeInt32LE(2004, 12);
  return Buffer.concat([header, body]);
}

/** Sends bytes; resolves with the first reply (parsed) or 'closed' when the server hangs up. */
function exchange(bytes: Buffer, waitMs = 1000): Promise<{ opCode: number; doc: Document; responseTo: number } | 'closed' | 'silent'> {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1', () => sock.write(bytes));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); resolve('silent'); }, waitMs);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        clearTimeout(timer);
        const opCode = buf.readInt32LE(12);
        const at = opCode === 1 ? 36 : 21;
        resolve({ opCode, responseTo: buf.readInt32LE(8), doc: deserialize(buf.subarray(at, buf.readInt32LE(0))) });
        sock.destroy();
      }
    });
    sock.on('close', () => { clearTimeout(timer); resolve('closed'); });
    sock.on('error', () => {});
  });
}

async function stillServing(): Promise<void> {
  const r = await exchange(opMsg({ ping: 1, $db: 'admin' }));
  expect(r).not.toBe('closed');
  expect((r as { doc: Document }).doc.ok).toBe(1);
}

describe('wire protocol', () => {
  it('answers OP_MSG ping with responseTo = requestId', async () => {
    const r = await exchange(opMsg({ ping: 1, $db: 'admin' }, { requestId: 4242 }));
    expect(r).toMatchObject({ opCode: 2013, responseTo: 4242 });
    expect((r as { doc: Document }).doc.ok).toBe(1);
  });

  it('answers the legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const r = await exchange(opQuery('admin.$cmd', { isMaster: 1, helloOk: true }));
    expect(r).not.toBe('closed');
    const { opCode, doc } = r as { opCode: number; doc: Document };
    expect(opCode).toBe(1);
    expect(doc.ismaster).toBe(true);
    expect(doc.setName).toBe('rs0');
    expect(doc.maxWireVersion).toBe(21);
    expect(doc.hosts).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('merges kind-1 document sequences into the command and ignores a checksum trailer', async () => {
    const r = await exchange(opMsg({ insert: 'seq', $db: 'wire' }, { seq: ['documents', [{ _id: 1 }, { _id: 2 }]], checksum: true }));
    expect((r as { doc: Document }).doc).toMatchObject({ ok: 1, n: 2 });
    const found = await exchange(opMsg({ count: 'seq', $db: 'wire' }));
    expect((found as { doc: Document }).doc.n).toBe(2);
  });

  it('sends no reply for moreToCome (unacknowledged) but still applies the write', async () => {
    const r = await exchange(opMsg({ insert: 'unack', documents: [{ _id: 1 }], $db: 'wire' }, { flags: 2 }), 300);
    expect(r).toBe('silent');
    const found = await exchange(opMsg({ count: 'unack', $db: 'wire' }));
    expect((found as { doc: Document }).doc.n).toBe(1);
  });

  it('closes the connection on an unknown opcode, and keeps serving', async () => {
    const bad = opMsg({ ping: 1, $db: 'admin' });
    bad.writeInt32LE(9999, 12);
    expect(await exchange(bad)).toBe('closed');
    await stillServing();
  });

  it('closes the connection on an oversized message length (> 48 MB)', async () => {
    const header = Buffer.alloc(16);
    header.writeInt32LE(48_000_001, 0);
    header.writeInt32LE(2013, 12);
    expect(await exchange(header)).toBe('closed');
    await stillServing();
  });

  it('closes the connection on a length smaller than the header', async () => {
    const header = Buffer.alloc(16);
    header.writeInt32LE(3, 0);
    expect(await exchange(header)).toBe('closed');
    await stillServing();
  });

  it('closes the connection on a malformed body (section length past the end)', async () => {
    const msg = opMsg({ ping: 1, $db: 'admin' });
    msg.writeInt32LE(10_000, 21); // BSON length of the body section
    expect(await exchange(msg)).toBe('closed');
    await stillServing();
  });

  it('closes on an unknown section kind', async () => {
    const msg = opMsg({ ping: 1, $db: 'admin' });
    msg[20] = 7;
    expect(await exchange(msg)).toBe('closed');
    await stillServing();
  });

  it('waits for the rest of a truncated message, and the server survives the hang-up', async () => {
    const msg = opMsg({ ping: 1, $db: 'admin' });
    expect(await exchange(msg.subarray(0, msg.length - 5), 300)).toBe('silent');
    await stillServing();
  });

  it('answers an unknown command with CommandNotFound naming it', async () => {
    const r = await exchange(opMsg({ frobnicate: 1, $db: 'admin' }));
    expect((r as { doc: Document }).doc).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    expect((r as { doc: Document }).doc.errmsg).toContain('frobnicate');
  });

  it('handles two messages arriving in one TCP chunk, in order', async () => {
    const both = Buffer.concat([opMsg({ ping: 1, $db: 'admin' }, { requestId: 1 }), opMsg({ ping: 1, $db: 'admin' }, { requestId: 2 })]);
    const replies = await new Promise<number[]>((resolve) => {
      const sock = net.connect(server.port, '127.0.0.1', () => sock.write(both));
      let buf = Buffer.alloc(0);
      const got: number[] = [];
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
          got.push(buf.readInt32LE(8));
          buf = buf.subarray(buf.readInt32LE(0));
        }
        if (got.length === 2) { sock.destroy(); resolve(got); }
      });
    });
    expect(replies).toEqual([1, 2]);
  });
});

describe('byte-level _id move', () => {
  it('moves a trailing _id to the front without changing any other byte', async () => {
    const { moveIdFirst } = await import('../../src/engine/bson-bytes.js');
    const { ObjectId, Long, Decimal128, Binary, Timestamp } = await import('bson');
    const id = new ObjectId();
    const doc = { a: 1.5, s: 'x', o: { n: null }, arr: [1, 'b'], l: Long.fromNumber(3), m: Decimal128.fromString('1'), b: new Binary(Buffer.from('z')), t: new Timestamp({ t: 1, i: 2 }), r: /re/i, d: new Date(5), _id: id };
    const moved = moveIdFirst(Buffer.from(serialize(doc)))!;
    const { _id, ...rest } = doc;
    expect(moved.equals(Buffer.from(serialize({ _id, ...rest })))).toBe(true);
    expect(moveIdFirst(Buffer.from(serialize({ _id: 1, a: 2 })))).toBeNull();
  });
});
