/**
 * Session and transaction control: endSessions, killAllSessions, commit/abortTransaction.
 */
import type { Document } from 'bson';
import { Codes, MongoError } from '../errors.js';
import type { Ctx, Handler } from './context.js';

const endSessions: Handler = (ctx: Ctx) => {
  const ids = (ctx.cmd[Object.keys(ctx.cmd)[0]!] ?? []) as Document[];
  for (const lsid of Array.isArray(ids) ? ids : []) {
    const s = ctx.server.sessions.end(lsid);
    if (s) ctx.server.cursors.killForSession(s.key);
  }
  return { ok: 1 };
};

const commitTransaction: Handler = (ctx: Ctx) => {
  const s = ctx.session;
  if (!s) throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', 'commitTransaction requires a session');
  if (s.txnState === 'committed') return { ok: 1 }; // retried commit: idempotent
  if (s.txnState !== 'inProgress' || !s.txn) {
    throw new MongoError(Codes.NoSuchTransaction, 'NoSuchTransaction', 'Transaction has been aborted.', { errorLabels: ['TransientTransactionError'] });
  }
  const txn = s.txn;
  ctx.batch.txn = { lsid: s.lsid, txnNumber: txn.txnNumber };
  try {
    txn.commit(ctx.batch);
  } catch (e) {
    s.txn = undefined;
    s.txnState = 'aborted';
    if (e instanceof MongoError && e.code === Codes.DuplicateKey) throw e;
    throw e;
  }
  s.txnState = 'committed';
  return { ok: 1 };
};

const abortTransaction: Handler = (ctx: Ctx) => {
  const s = ctx.session;
  if (!s) throw new MongoError(Codes.InvalidOptions, 'InvalidOptions', 'abortTransaction requires a session');
  if (s.txnState === 'committed') {
    throw new MongoError(Codes.TransactionCommitted, 'TransactionCommitted', 'Cannot abort a committed transaction');
  }
  if (s.txnState !== 'inProgress' || !s.txn) {
    throw new MongoError(Codes.NoSuchTransaction, 'NoSuchTransaction', 'Transaction has been aborted.');
  }
  s.txn.close();
  s.txn = undefined;
  s.txnState = 'aborted';
  return { ok: 1 };
};

export const sessionHandlers: Record<string, Handler> = {
  endsessions: endSessions,
  killsessions: endSessions,
  killallsessions: (ctx) => { ctx.server.sessions.endAll(); return { ok: 1 }; },
  killallsessionsbypattern: (ctx) => { ctx.server.sessions.endAll(); return { ok: 1 }; },
  refreshsessions: () => ({ ok: 1 }),
  startsession: () => ({ ok: 1 }),
  committransaction: commitTransaction,
  aborttransaction: abortTransaction,
};
