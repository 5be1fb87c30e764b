/**
 * Runs one command: finds its handler, attaches the session / transaction / retryable-write
 * state, journals the writes before the reply, and shapes errors like MongoDB.
 */
import { Binary, Long, type Document } from 'bson';
import { Codes, MongoError } from '../errors.js';
import { newBatch } from '../engine/catalog.js';
import { DirectStore } from '../engine/store.js';
import { LockedByTransaction, Transaction, writeConflict } from '../engine/txn.js';
import type { SessionState } from '../engine/sessions.js';
import { num } from '../engine/values.js';
import type { Ctx, Handler, ServerState } from './context.js';
import { handlers } from './registry.js';

const RETRYABLE = new Set(['insert', 'update', 'delete', 'findandmodify']);
const TXN_CONTROL = new Set(['committransaction', 'aborttransaction']);

export interface Request {
  server: ServerState;
  body: Document;
  sequences: Map<string, Buffer[]>;
  connectionId: number;
  unacknowledged: boolean;
  exhaustAllowed: boolean;
}

const ZERO_HASH = new Binary(Buffer.alloc(20), 0);

function decorate(server: ServerState, reply: Document): Document {
  const t = server.catalog.clusterTime;
  reply.$clusterTime = { clusterTime: t, signature: { hash: ZERO_HASH, keyId: Long.ZERO } };
  reply.operationTime = t;
  return reply;
}

export function errorReply(server: ServerState, e: unknown): Document {
  if (e instanceof MongoError) return decorate(server, e.toReply());
  const err = e as Error;
  server.log(`internal error: ${err?.stack ?? String(e)}`);
  return decorate(server, { ok: 0, errmsg: err?.message ?? String(e), code: 1, codeName: 'InternalError' });
}

function noSuchTransaction(txnNumber: number): MongoError {
  return new MongoError(Codes.NoSuchTransaction, 'NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, { errorLabels: ['TransientTransactionError'] });
}

/** Commands that touch no data, answered even after a journal failure (so monitors and pools stay sane). */
const WITHOUT_DATA = new Set(['hello', 'ismaster', 'ping', 'buildinfo', 'endsessions', 'getparameter', 'getcmdlineopts', 'hostinfo', 'whatsmyuri', 'getlog', 'connectionstatus', 'serverstatus']);

/**
 * A journal commit failed (disk full, I/O error): the journal refuses every later commit, and
 * memory may hold writes that will never be on disk. Rolling them back is not safe (later writes
 * may have built on them), so the server stops serving data altogether: no later read can see
 * unsaved data and no later write can be acknowledged. Only a restart (replaying the journal)
 * brings back a consistent state.
 */
export function failJournal(server: ServerState, e: Error): MongoError {
  if (!server.journalFailure) {
    server.journalFailure = e.message;
    server.log(`JOURNAL FAILURE: ${e.message}. Refusing every read and write from now on; restart the server once the disk is fixed (it restores the last acknowledged state).`);
  }
  return journalFailedError(server);
}

function journalFailedError(server: ServerState): MongoError {
  return new MongoError(1, 'InternalError', `embedded-mongo: the journal failed (${server.journalFailure}); this server refuses reads and writes until restarted`);
}

/** Returns the reply document, synchronously when no journal wait is needed (the fast path). */
export function dispatch(req: Request): Document | Promise<Document> {
  const { server, body } = req;
  const name = Object.keys(body)[0] ?? '';
  const lname = name.toLowerCase();
  const handler: Handler | undefined = handlers.get(lname);
  if (!handler) {
    return errorReply(server, new MongoError(Codes.CommandNotFound, 'CommandNotFound', `no such command: '${name}'`));
  }
  if (server.journalFailure !== undefined && !WITHOUT_DATA.has(lname)) return errorReply(server, journalFailedError(server));
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  let session: SessionState | undefined;
  let store: Ctx['store'] | undefined;
  let txnNumber: number | undefined;
  try {
    if (body.lsid && typeof body.lsid === 'object') session = server.sessions.get(body.lsid as Document);
    if (body.txnNumber !== undefined) txnNumber = num(body.txnNumber);
    if (session && txnNumber !== undefined) refuseOlderTxnNumber(session, txnNumber, body.autocommit === false);
    if (session?.txnCursors && lname === 'getmore') checkTxnCursor(session, String(body.getMore), txnNumber);
    if (session && txnNumber !== undefined && body.autocommit === false) {
      store = transactionFor(server, session, txnNumber, body, lname);
    } else if (session && txnNumber !== undefined && RETRYABLE.has(lname)) {
      if (session.lastWrite && session.lastWrite.txnNumber === txnNumber) return decorate(server, { ...session.lastWrite.reply });
      if (txnNumber > session.txnNumber) startTxnNumber(server, session, txnNumber);
    }
  } catch (e) {
    return errorReply(server, e);
  }
  const batch = newBatch(!!server.journal);
  const ctx: Ctx = { server, db, cmd: body, sequences: req.sequences, store: store ?? new DirectStore(server.catalog), batch, session, connectionId: req.connectionId, unacknowledged: req.unacknowledged, exhaustAllowed: req.exhaustAllowed };
  const finish = (reply: Document): Document | Promise<Document> => {
    if (session && store instanceof Transaction && txnNumber !== undefined) rememberTxnCursor(session, reply, txnNumber);
    if (session && txnNumber !== undefined && RETRYABLE.has(lname) && !ctx.store.inTxn && reply.ok !== 0) {
      session.lastWrite = { txnNumber, reply: { ...reply } };
    }
    if (batch.ops.length === 0) {
      server.catalog.oplog.notify();
      return decorate(server, reply);
    }
    const ops = batch.ops;
    server.catalog.oplog.notify();
    if (!server.journal) return decorate(server, reply);
    return server.journal.commit(ops).then(
      () => decorate(server, reply),
      (e: Error) => errorReply(server, failJournal(server, e)),
    );
  };
  const fail = (e: unknown): Document | Promise<Document> => {
    if (e instanceof LockedByTransaction && !ctx.store.inTxn && batch.ops.length === 0 && !batch.writes) {
      // MongoDB retries a plain write that hits a transaction's lock until the lock goes away.
      return e.released.then(() => dispatch(req));
    }
    if (e instanceof LockedByTransaction) e = writeConflict();
    if (session?.txn && ctx.store.inTxn && !TXN_CONTROL.has(lname)) {
      // Like MongoDB: a failed statement aborts the whole transaction.
      session.txn.close();
      session.txn = undefined;
      session.txnState = 'aborted';
    }
    const reply = errorReply(server, e);
    // Writes that happened before the failure (e.g. ordered insert) must still be journaled.
    if (batch.ops.length && server.journal) return server.journal.commit(batch.ops).then(() => reply, (je: Error) => errorReply(server, failJournal(server, je)));
    return reply;
  };
  try {
    if (store instanceof Transaction) store.lastUse = Date.now();
    const out = handler(ctx);
    if (out instanceof Promise) return out.then(finish, fail);
    return finish(out);
  } catch (e) {
    return fail(e);
  }
}

/** MongoDB's codes for txnNumbers that are out of order on their session. */
const TransactionTooOld = 225;
const ConflictingOperationInProgress = 117;
const CannotRestartTransaction = 50911;
const CursorInUseByTransaction = 50740;

/**
 * Like MongoDB, a session's txnNumber only moves forward: a retryable write or transaction with a
 * lower number than one already seen on that lsid is refused (it can only be a stale retry that
 * arrived after a newer operation, and its first answer is no longer remembered). The driver never
 * goes back on one lsid; a client that sets txnNumber itself must not hand that session back to
 * the driver's pool.
 */
function refuseOlderTxnNumber(s: SessionState, txnNumber: number, inTxn: boolean): void {
  if (txnNumber >= s.txnNumber) return;
  const msg = inTxn
    ? `Cannot start transaction with { txnNumber: ${txnNumber} } on session ${s.key} because a newer transaction or retryable write with txnNumber ${s.txnNumber} has already started on this session.`
    : `Retryable write with txnNumber ${txnNumber} is prohibited on session ${s.key} because a newer retryable write with txnNumber ${s.txnNumber} has already started on this session.`;
  throw new MongoError(TransactionTooOld, 'TransactionTooOld', msg);
}

/** A cursor a transaction opened belongs to it: MongoDB refuses a getMore from outside it. */
function checkTxnCursor(s: SessionState, cursorId: string, txnNumber: number | undefined): void {
  const owner = s.txnCursors!.get(cursorId);
  if (owner === undefined || owner === txnNumber) return;
  throw new MongoError(CursorInUseByTransaction, 'Location50740', `Cannot run getMore on cursor ${cursorId}, which was created in transaction ${owner}, ${txnNumber === undefined ? 'without a txnNumber' : `with txnNumber ${txnNumber}`}`);
}

function rememberTxnCursor(s: SessionState, reply: Document, txnNumber: number): void {
  const id = (reply.cursor as Document | undefined)?.id;
  if (id === undefined || id === null || String(id) === '0') return;
  (s.txnCursors ??= new Map()).set(String(id), txnNumber);
}

/**
 * A higher txnNumber supersedes the session's previous one: an open transaction is aborted, and
 * the cursors the previous transaction opened are closed (a later getMore: CursorNotFound).
 */
function startTxnNumber(server: ServerState, s: SessionState, txnNumber: number): void {
  if (s.txnCursors) {
    for (const id of s.txnCursors.keys()) server.cursors.kill(BigInt(id));
    s.txnCursors = undefined;
  }
  s.txn?.close();
  s.txn = undefined;
  s.txnState = 'none';
  s.txnNumber = txnNumber;
}

function transactionFor(server: ServerState, s: SessionState, txnNumber: number, body: Document, lname: string): Transaction | undefined {
  if (body.startTransaction === true) {
    if (txnNumber === s.txnNumber && s.txnState === 'inProgress') {
      throw new MongoError(ConflictingOperationInProgress, 'ConflictingOperationInProgress', `Cannot specify 'startTransaction' on transaction ${txnNumber} since it is already in progress.`);
    }
    if (txnNumber === s.txnNumber && (s.txnState === 'committed' || s.lastWrite?.txnNumber === txnNumber)) {
      throw new MongoError(CannotRestartTransaction, 'Location50911', `Cannot start a transaction at given transaction number ${txnNumber} a transaction with the same number is in state ${s.txnState === 'committed' ? 'TxnState::Committed' : 'TxnState::None'}`);
    }
    startTxnNumber(server, s, txnNumber);
    s.txn = new Transaction(server.catalog, s.lsid, body.txnNumber);
    s.txnState = 'inProgress';
    return s.txn;
  }
  if (txnNumber !== s.txnNumber) throw noSuchTransaction(txnNumber);
  if (s.txnState === 'committed') {
    if (TXN_CONTROL.has(lname)) return undefined; // commit retry: the handler answers from session state
    throw new MongoError(Codes.TransactionCommitted, 'TransactionCommitted', `Transaction with { txnNumber: ${txnNumber} } has been committed.`);
  }
  if (!s.txn || s.txnState !== 'inProgress') throw noSuchTransaction(txnNumber);
  return s.txn;
}
