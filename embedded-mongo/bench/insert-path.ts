/**
 * In-process measurement of the server's insert path without sockets or driver: CPU time per
 * document of `insert` commands (batches of 1000 and single documents) dispatched straight to the
 * command layer, with the bench's document shape and indexes. CPU time, not wall time, so it stays
 * comparable on a busy machine.
 *
 *   npx tsx embedded-mongo/bench/insert-path.ts        (BENCH_DOCS, default 100000)
 */
import { ObjectId, serialize } from 'bson';
import { Catalog } from '../src/engine/catalog.js';
import { Cursors } from '../src/engine/cursors.js';
import { Sessions } from '../src/engine/sessions.js';
import { createIndexSet } from '../src/indexes/index.js';
import { dispatch } from '../src/commands/dispatch.js';
import type { ServerState } from '../src/commands/context.js';
import { makeDoc } from './docs.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);

function state(): ServerState {
  return {
    catalog: new Catalog(createIndexSet), cursors: new Cursors(), sessions: new Sessions(), host: '127.0.0.1', port: 0, replSetName: 'rs0',
    processId: new ObjectId(), electionId: new ObjectId(), startedAt: new Date(), topologyCounter: 0, connections: 0, log: () => {},
    stopping: false, wakeHellos() {}, onTopologyChange: () => () => {}, counters: {},
  };
}

/** Encoded as the driver sends it: fields in order, then the `_id` it generates appended last. */
const wire = (i: number) => { const d: Record<string, unknown> = makeDoc(i); d._id = new ObjectId(); return Buffer.from(serialize(d)); };

async function run(s: ServerState, body: Record<string, unknown>, docs: Buffer[]) {
  const r = await dispatch({ server: s, body, sequences: new Map([['documents', docs]]), connectionId: 1, unacknowledged: false, exhaustAllowed: false });
  if (r.ok !== 1 || r.writeErrors) throw new Error(JSON.stringify(r));
}

async function measure(label: string, batch: number) {
  const s = state();
  await run(s, { createIndexes: 'docs', indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }, { key: { group: 1, score: -1 }, name: 'g_s' }], $db: 'b' }, []);
  const msgs: Buffer[][] = [];
  for (let start = 0; start < DOCS; start += batch) msgs.push(Array.from({ length: Math.min(batch, DOCS - start) }, (_, k) => wire(start + k)));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const docs of msgs) await run(s, { insert: 'docs', ordered: false, $db: 'b' }, docs);
  const cpu = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const us = (cpu.user + cpu.system) / DOCS;
  console.log(`${label}: ${us.toFixed(2)} us CPU/doc, ${(wall * 1000 / DOCS).toFixed(2)} us wall/doc, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
  return us;
}

const many = await measure(`insert, batches of 1000 (${DOCS} docs)`, 1000);
const one = await measure('insert, one document per command', 1);
console.log(`SUMMARY: insert path ${many.toFixed(2)} us/doc in batches, ${one.toFixed(2)} us per single-document insert`);
