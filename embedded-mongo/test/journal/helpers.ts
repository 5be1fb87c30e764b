/** Shared helpers for journal tests: temp dirs, replay collection, a strict model of the state. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON, type Document } from 'bson';
import type { JournalOp } from '../../src/contracts.js';
import { createFileJournal } from '../../src/journal/index.js';

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `journal-${label}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function put(db: string, coll: string, doc: Document): JournalOp {
  return { op: 'put', db, coll, doc: BSON.serialize(doc) };
}

export function del(db: string, coll: string, id: unknown): JournalOp {
  return { op: 'delete', db, coll, id: BSON.serialize({ _id: id }) };
}

/** Opens the directory, returns the replayed batches, the log lines and the open journal. */
export async function openAndReplay(dir: string) {
  const logs: string[] = [];
  const journal = createFileJournal(dir, (line) => logs.push(line));
  const batches: JournalOp[][] = [];
  for await (const batch of journal.open()) batches.push(batch);
  return { journal, batches, logs };
}

/**
 * A strict in-memory state: applying an op twice, or out of order, throws. Replaying a directory into
 * it therefore catches batches that are lost, duplicated or reordered.
 */
export class StrictModel {
  /** ns -> (_id key -> doc bytes as hex) */
  readonly colls = new Map<string, Map<string, string>>();

  apply(op: JournalOp): void {
    switch (op.op) {
      case 'createCollection': {
        const ns = `${op.db}.${op.coll}`;
        if (this.colls.has(ns)) throw new Error(`createCollection: ${ns} exists`);
        this.colls.set(ns, new Map());
        return;
      }
      case 'renameCollection': {
        const from = `${op.fromDb}.${op.fromColl}`;
        const to = `${op.toDb}.${op.toColl}`;
        const c = this.colls.get(from);
        if (!c || this.colls.has(to)) throw new Error(`renameCollection ${from} -> ${to}: bad state`);
        this.colls.delete(from);
        this.colls.set(to, c);
        return;
      }
      case 'dropCollection': {
        const ns = `${op.db}.${op.coll}`;
        if (!this.colls.delete(ns)) throw new Error(`dropCollection: ${ns} missing`);
        return;
      }
      case 'put':
        this.coll(op.db, op.coll).set(idKey(BSON.deserialize(op.doc)._id), Buffer.from(op.doc).toString('hex'));
        return;
      case 'delete':
        if (!this.coll(op.db, op.coll).delete(idKey(BSON.deserialize(op.id)._id))) throw new Error('delete: missing doc');
        return;
      default:
        return;
    }
  }

  private coll(db: string, coll: string) {
    const c = this.colls.get(`${db}.${coll}`);
    if (!c) throw new Error(`no collection ${db}.${coll}`);
    return c;
  }

  /** The ops that recreate this state (what the engine hands to compact()). */
  *stateOps(): Iterable<JournalOp> {
    for (const [ns, docs] of this.colls) {
      const [db, coll] = splitNs(ns);
      yield { op: 'createCollection', db, coll, options: {} };
      for (const hex of docs.values()) yield { op: 'put', db, coll, doc: Buffer.from(hex, 'hex') };
    }
  }

  snapshot(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [ns, docs] of [...this.colls].sort()) out[ns] = Object.fromEntries([...docs].sort());
    return out;
  }
}

function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

function idKey(id: unknown): string {
  return JSON.stringify(id);
}
