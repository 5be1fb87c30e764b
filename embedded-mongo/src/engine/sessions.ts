/**
 * Logical sessions: the transaction a session has open and the last retryable write it
 * performed, so a retried write (same lsid + txnNumber) returns the first answer instead of
 * applying twice. Abandoned transactions are aborted after `txnLifetimeMs`.
 */
import type { Binary, Document } from 'bson';
import type { Transaction } from './txn.js';

export interface SessionState {
  lsid: Document;
  key: string;
  lastUse: number;
  /** Highest txnNumber seen on this session. */
  txnNumber: number;
  txn?: Transaction;
  txnState: 'none' | 'inProgress' | 'committed' | 'aborted';
  /** Reply of the last retryable write, keyed by its txnNumber. */
  lastWrite?: { txnNumber: number; reply: Document };
  /** Cursors opened inside a transaction (cursor id -> txnNumber): only that transaction may getMore. */
  txnCursors?: Map<string, number>;
}

export function lsidKey(lsid: Document): string {
  const id = lsid.id as Binary | undefined;
  return id && typeof id === 'object' && 'buffer' in id ? Buffer.from(id.buffer).toString('hex') : JSON.stringify(lsid);
}

export class Sessions {
  private readonly map = new Map<string, SessionState>();

  get(lsid: Document): SessionState {
    const key = lsidKey(lsid);
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = { lsid, key, lastUse: Date.now(), txnNumber: -1, txnState: 'none' }));
    s.lastUse = Date.now();
    return s;
  }

  end(lsid: Document): SessionState | undefined {
    const key = lsidKey(lsid);
    const s = this.map.get(key);
    if (s) {
      s.txn?.close();
      this.map.delete(key);
    }
    return s;
  }

  endAll(): void {
    for (const s of this.map.values()) s.txn?.close();
    this.map.clear();
  }

  /** Aborts transactions idle for longer than `txnLifetimeMs`; forgets sessions idle 30 min. */
  sweep(now: number, txnLifetimeMs = 60_000): void {
    for (const [key, s] of this.map) {
      if (s.txn && now - s.txn.lastUse > txnLifetimeMs) {
        s.txn.close();
        s.txn = undefined;
        s.txnState = 'aborted';
      }
      if (now - s.lastUse > 30 * 60_000) {
        s.txn?.close();
        this.map.delete(key);
      }
    }
  }

  get size(): number {
    return this.map.size;
  }
}
