/**
 * One client connection: frames messages, answers them strictly in order, and closes the
 * connection (only this one) on anything malformed, truncated, oversized or unknown.
 */
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { dispatch } from '../commands/dispatch.js';
import type { ServerState } from '../commands/context.js';
import { helloReply } from '../commands/handshake.js';
import { encodeOpMsg, encodeOpReply } from './encode.js';
import { FLAG_EXHAUST_ALLOWED, FLAG_MORE_TO_COME, HEADER_SIZE, MAX_MESSAGE_SIZE, OP_MSG, OP_QUERY, ProtocolError, parseOpMsg, parseOpQuery, readHeader } from './framing.js';

let nextRequestId = 1;

export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while an asynchronous reply is outstanding; later messages wait behind it. */
  private busy: Promise<void> | null = null;
  private queue: Buffer[] = [];
  closed = false;

  constructor(private readonly socket: Socket, private readonly server: ServerState, readonly id: number) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => { this.closed = true; });
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.server.log(`connection ${this.id} closed: ${reason}`);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (!this.closed && this.pendingBytes >= 4) {
      let head = this.pending[0]!;
      if (head.length < 4) head = this.flatten();
      const len = head.readInt32LE(0);
      if (len < HEADER_SIZE || len > MAX_MESSAGE_SIZE) return this.close(`invalid message length ${len}`);
      if (this.pendingBytes < len) return;
      const all = head.length >= len ? head : this.flatten();
      const msg = all.subarray(0, len);
      const rest = all.subarray(len);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      if (this.busy) this.queue.push(msg);
      else this.handle(msg);
    }
  }

  private flatten(): Buffer {
    const b = Buffer.concat(this.pending);
    this.pending = [b];
    return b;
  }

  private handle(msg: Buffer): void {
    let out: void | Promise<void>;
    try {
      out = this.process(msg);
    } catch (e) {
      return this.close(e instanceof ProtocolError ? e.message : `bad message: ${(e as Error).message}`);
    }
    if (out instanceof Promise) {
      this.busy = out.then(
        () => this.drain(),
        (e) => this.close(`failed: ${(e as Error).message}`),
      );
    }
  }

  private drain(): void {
    this.busy = null;
    while (!this.busy && !this.closed && this.queue.length) this.handle(this.queue.shift()!);
  }

  private send(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  /**
   * Exhaust (streaming) hello: every reply carries moreToCome and the next one follows after
   * maxAwaitTimeMS or a topology change, each answering the previous reply, until the server
   * stops. The driver's monitor keeps this connection for it alone.
   */
  private async streamHello(first: Document | Promise<Document>, again: (topologyVersion?: Document) => Document | Promise<Document>, requestId: number): Promise<void> {
    let responseTo = requestId;
    let reply = await first;
    while (!this.closed) {
      const more = !this.server.stopping;
      const id = nextRequestId++;
      this.send(encodeOpMsg(id, responseTo, reply, more));
      if (!more) return;
      responseTo = id;
      // The next reply waits for a change relative to what we just told the client (never spins).
      reply = await again(reply.topologyVersion as Document | undefined);
    }
  }

  private process(msg: Buffer): void | Promise<void> {
    const header = readHeader(msg);
    if (header.opCode === OP_MSG) {
      const parsed = parseOpMsg(msg);
      const body = parsed.body;
      // Kind-1 sequences are merged into the body field named by their identifier.
      const moreToCome = (parsed.flags & FLAG_MORE_TO_COME) !== 0;
      const reply = dispatch({
        server: this.server,
        body,
        sequences: parsed.rawSequences,
        connectionId: this.id,
        unacknowledged: moreToCome,
        exhaustAllowed: (parsed.flags & FLAG_EXHAUST_ALLOWED) !== 0,
      });
      if ((parsed.flags & FLAG_EXHAUST_ALLOWED) !== 0 && isAwaitableHello(body)) {
        const again = (topologyVersion?: Document) => {
          if (topologyVersion) body.topologyVersion = topologyVersion;
          return dispatch({ server: this.server, body, sequences: parsed.rawSequences, connectionId: this.id, unacknowledged: false, exhaustAllowed: true });
        };
        return this.streamHello(reply, again, header.requestId);
      }
      const respond = (r: Document) => { if (!moreToCome) this.send(encodeOpMsg(nextRequestId++, header.requestId, r)); };
      if (reply instanceof Promise) return reply.then(respond);
      respond(reply);
      return;
    }
    if (header.opCode === OP_QUERY) {
      const q = parseOpQuery(msg);
      if (!q.collection.endsWith('.$cmd')) throw new ProtocolError(`legacy OP_QUERY on ${q.collection} is not supported`);
      const name = (Object.keys(q.query)[0] ?? '').toLowerCase();
      if (name === 'ismaster' || name === 'hello') {
        this.send(encodeOpReply(nextRequestId++, header.requestId, decorateLegacy(helloReply(this.server, this.id, name === 'ismaster'))));
        return;
      }
      const db = q.collection.slice(0, -'.$cmd'.length);
      const reply = dispatch({ server: this.server, body: { ...q.query, $db: db }, sequences: new Map(), connectionId: this.id, unacknowledged: false, exhaustAllowed: false });
      const respond = (r: Document) => this.send(encodeOpReply(nextRequestId++, header.requestId, r));
      if (reply instanceof Promise) return reply.then(respond);
      respond(reply);
      return;
    }
    throw new ProtocolError(`unknown opcode ${header.opCode}`);
  }
}

function decorateLegacy(reply: Document): Document {
  return reply;
}

function isAwaitableHello(body: Document): boolean {
  const name = (Object.keys(body)[0] ?? '').toLowerCase();
  return (name === 'hello' || name === 'ismaster') && body.topologyVersion !== undefined && body.maxAwaitTimeMS !== undefined;
}
