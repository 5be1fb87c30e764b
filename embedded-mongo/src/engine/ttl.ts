/**
 * TTL monitor pass: deletes the records the IndexSet reports expired, through the normal
 * write path so the deletes are journaled and visible to change streams.
 */
import type { ServerState } from '../commands/context.js';
import { newBatch } from './catalog.js';
import { failJournal } from '../commands/dispatch.js';
import { typedDoc } from './values.js';

export async function runTtlPass(state: ServerState): Promise<number> {
  if (state.journalFailure !== undefined) return 0;
  const batch = newBatch();
  const now = new Date();
  let removed = 0;
  for (const colls of [...state.catalog.dbs.values()]) {
    for (const coll of [...colls.values()]) {
      if (!coll.indexes.list().some((s) => s.expireAfterSeconds !== undefined)) continue;
      for (const rid of coll.indexes.expired(now)) {
        const buf = coll.records.get(rid);
        if (!buf) continue;
        state.catalog.deleteRec(coll, rid, typedDoc(buf), batch);
        removed++;
      }
    }
  }
  if (removed) {
    state.catalog.oplog.notify();
    if (state.journal) await state.journal.commit(batch.ops).catch((e: Error) => { throw failJournal(state, e); });
  }
  return removed;
}
