/**
 * Bridges the catalog and the Journal: replay at start (a path that does not re-journal),
 * and compaction into a generator over the whole live state.
 */
import { deserialize, type Document } from 'bson';
import type { Journal, JournalOp } from '../contracts.js';
import type { ServerState } from '../commands/context.js';
import { buildIndex } from '../commands/ddl.js';
import type { Batch, Catalog } from './catalog.js';
import { TYPED, typedDoc } from './values.js';

const COMPACT_MIN_BYTES = 64 * 1024 * 1024;

export function applyReplayed(catalog: Catalog, op: JournalOp, log: (l: string) => void): void {
  const batch: Batch = { ops: [], replay: true };
  switch (op.op) {
    case 'createCollection': catalog.createColl(op.db, op.coll, op.options, batch, false); return;
    case 'dropCollection': catalog.dropColl(op.db, op.coll, batch); return;
    case 'dropDatabase': catalog.dropDb(op.db, batch); return;
    case 'renameCollection': catalog.renameColl(op.fromDb, op.fromColl, op.toDb, op.toColl, true, batch); return;
    case 'createIndex': {
      const coll = catalog.ensureColl(op.db, op.coll, batch);
      if (!coll.indexes.list().some((s) => s.name === op.spec.name)) buildIndex(coll, op.spec);
      return;
    }
    case 'dropIndex': {
      const coll = catalog.getColl(op.db, op.coll);
      if (coll?.indexes.list().some((s) => s.name === op.name)) coll.indexes.drop(op.name);
      return;
    }
    case 'collMod': {
      const coll = catalog.getColl(op.db, op.coll);
      if (coll) coll.options = { ...coll.options, ...op.options };
      return;
    }
    case 'put': {
      const coll = catalog.ensureColl(op.db, op.coll, batch);
      const buf = Buffer.from(op.doc);
      const doc = deserialize(buf, TYPED);
      const rid = coll.ridOf(doc._id);
      if (rid === undefined) catalog.insertRec(coll, buf, doc, batch);
      else catalog.replaceRec(coll, rid, buf, doc, typedDoc(coll.records.get(rid)!), batch, 'replace');
      return;
    }
    case 'delete': {
      const coll = catalog.getColl(op.db, op.coll);
      if (!coll) return;
      const id = deserialize(Buffer.from(op.id), TYPED)._id;
      const rid = coll.ridOf(id);
      if (rid !== undefined) catalog.deleteRec(coll, rid, typedDoc(coll.records.get(rid)!), batch);
      return;
    }
    default: log(`journal replay: unknown op ${(op as Document).op}`);
  }
}

/** Replays every durable batch. An op that cannot be applied is skipped (the rest of the state is
 *  still worth having), but never silently: the count and the first error go in one loud line. */
export async function replayJournal(state: ServerState, journal: Journal): Promise<{ batches: number; ops: number; failed: number }> {
  let batches = 0;
  let ops = 0;
  let failed = 0;
  let firstError = '';
  for await (const batch of journal.open()) {
    for (const op of batch) {
      try {
        applyReplayed(state.catalog, op, state.log);
      } catch (e) {
        if (failed++ === 0) firstError = `${op.op} ${'db' in op ? `${op.db}.${'coll' in op ? op.coll : ''}` : ''}: ${(e as Error).message}`;
      }
      ops++;
    }
    batches++;
  }
  state.log(`journal replay: ${batches} batches, ${ops} ops`);
  if (failed > 0) {
    state.log(`journal replay: WARNING ${failed} of ${ops} ops could not be applied and were skipped; first error: ${firstError}`);
  }
  return { batches, ops, failed };
}

export function* stateOps(catalog: Catalog): Iterable<JournalOp> {
  for (const [db, colls] of catalog.dbs) {
    for (const [name, coll] of colls) {
      yield { op: 'createCollection', db, coll: name, options: coll.options };
      for (const spec of coll.indexes.list()) if (spec.name !== '_id_') yield { op: 'createIndex', db, coll: name, spec };
      for (const buf of coll.records.values()) yield { op: 'put', db, coll: name, doc: buf };
    }
  }
}

function liveBytes(catalog: Catalog): number {
  let n = 0;
  for (const colls of catalog.dbs.values()) for (const c of colls.values()) n += c.dataSize;
  return n;
}

/** Servers whose compaction is running (per server: several servers may share one process). */
const compacting = new WeakSet<ServerState>();

export async function compactNow(state: ServerState): Promise<void> {
  // After a journal failure memory may hold unsaved writes: never make them durable by compaction.
  if (!state.journal || compacting.has(state) || state.journalFailure !== undefined) return;
  compacting.add(state);
  try {
    await state.journal.compact(() => stateOps(state.catalog));
  } finally {
    compacting.delete(state);
  }
}

export async function maybeCompact(state: ServerState): Promise<void> {
  const j = state.journal;
  if (!j) return;
  const size = j.sizeSinceCompaction();
  if (size > COMPACT_MIN_BYTES && size > 2 * liveBytes(state.catalog)) await compactNow(state);
}
