/**
 * What a command handler receives, and the shared server state it works on.
 */
import { Long, ObjectId, deserialize, type Document } from 'bson';
import { encode } from '../engine/values.js';
import { TYPED } from '../wire/framing.js';
import type { Journal } from '../contracts.js';
import type { Batch, Catalog } from '../engine/catalog.js';
import type { CursorSource, Cursors } from '../engine/cursors.js';
import type { SessionState, Sessions } from '../engine/sessions.js';
import type { Store } from '../engine/store.js';
import { DEFAULT_FIRST_BATCH } from '../engine/cursors.js';
import { num } from '../engine/values.js';
import { RawDocs } from '../wire/encode.js';
import { Codes, MongoError } from '../errors.js';

export interface ServerState {
  catalog: Catalog;
  cursors: Cursors;
  sessions: Sessions;
  journal?: Journal;
  host: string;
  port: number;
  replSetName: string;
  processId: ObjectId;
  electionId: ObjectId;
  startedAt: Date;
  /** Incremented when the topology changes (e.g. shutdown), waking awaitable hellos. */
  topologyCounter: number;
  connections: number;
  log: (line: string) => void;
  stopping: boolean;
  /** Wakes every pending awaitable hello (called at stop). */
  wakeHellos(): void;
  /** Registers a waiter for topology changes; returns an unsubscribe. */
  onTopologyChange(fn: () => void): () => void;
  counters: Record<string, number>;
  /** Set when a journal commit failed: memory may hold writes that are not on disk, so the
   *  server refuses every data command from then on (see failJournal in dispatch.ts). */
  journalFailure?: string;
}

export interface Ctx {
  server: ServerState;
  db: string;
  cmd: Document;
  /** Raw kind-1 document sequences (e.g. `documents` of insert) as encoded BSON. */
  sequences: Map<string, Buffer[]>;
  store: Store;
  batch: Batch;
  session?: SessionState;
  connectionId: number;
  /** True when the client asked for no reply (moreToCome): unacknowledged write. */
  unacknowledged: boolean;
  exhaustAllowed: boolean;
}

export type Handler = (ctx: Ctx) => Document | Promise<Document>;

export function collName(ctx: Ctx, field: string): string {
  const v = ctx.cmd[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw new MongoError(Codes.InvalidNamespace, 'InvalidNamespace', `collection name has invalid type ${typeof v}`);
  }
  return v;
}

/** Documents of a field that may come in the body (array) or as a kind-1 sequence. */
export function docsOf(ctx: Ctx, field: string): Document[] {
  const inBody = ctx.cmd[field];
  if (Array.isArray(inBody)) return inBody as Document[];
  return (ctx.sequences.get(field) ?? []).map((b) => deserialize(b, TYPED));
}

/** Replies `{cursor: {firstBatch, id, ns}}`, registering a cursor if documents remain. */
export function cursorReply(ctx: Ctx, ns: string, source: CursorSource, opts: { batchSize?: unknown; singleBatch?: boolean; limit?: number }): Document | Promise<Document> {
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const requested = opts.batchSize === undefined ? DEFAULT_FIRST_BATCH : num(opts.batchSize);
  const size = Math.min(requested === 0 && !source.tailable ? 0 : requested || DEFAULT_FIRST_BATCH, limit);
  const finish = (batch: Buffer[]): Document => {
    const remaining = limit - batch.length;
    let id = Long.ZERO;
    if (source.tailable || (!opts.singleBatch && remaining > 0 && !source.done())) {
      id = ctx.server.cursors.register(ns, source, remaining, ctx.session?.key).id;
    } else source.close?.();
    return { cursor: { firstBatch: new RawDocs(batch), id, ns, ...source.extra?.() }, ok: 1 };
  };
  if (requested === 0) return finish([]);
  const got = source.next(size, 0);
  return got instanceof Promise ? got.then(finish) : finish(got);
}

export const toBuf = (d: Document | Buffer): Buffer => (Buffer.isBuffer(d) ? d : encode(d));
