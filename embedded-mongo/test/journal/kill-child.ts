/**
 * Child process for kill.test.ts: replays a data directory into a strict model, then commits under
 * load with 8 committers and compacts often, printing "ack <id> <version>" once each commit resolved.
 * The parent SIGKILLs it at a random moment.
 *   node --import tsx kill-child.ts <dataDir> <run>
 */
import { BSON } from 'bson';
import { createFileJournal } from '../../src/journal/index.js';
import { put, StrictModel } from './helpers.js';

const [dir, run] = process.argv.slice(2) as [string, string];
const journal = createFileJournal(dir, (line) => process.stderr.write(line + '\n'));
const model = new StrictModel();
for await (const batch of journal.open()) for (const op of batch) model.apply(op);
process.stdout.write(`ready ${JSON.stringify(model.snapshot()).length}\n`);

const coll = `run${run}`;
const ops = [{ op: 'createCollection' as const, db: 'd', coll, options: {} }];
ops.forEach((op) => model.apply(op));
await journal.commit(ops);

let compacting = false;
await Promise.all(
  Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; ; i++) {
      // New document, then an update of an older one: each acked version must survive.
      const id = `${run}-${w}-${i}`;
      const batch = [put('d', coll, { _id: id, v: 0, pad: 'p'.repeat(200) })];
      if (i > 0) batch.push(put('d', coll, { _id: `${run}-${w}-${i - 1}`, v: 1 }));
      batch.forEach((op) => model.apply(op));
      await journal.commit(batch);
      process.stdout.write(`ack ${id} 0\n` + (i > 0 ? `ack ${run}-${w}-${i - 1} 1\n` : ''));
      if (!compacting && journal.sizeSinceCompaction() > 300_000) {
        compacting = true;
        journal.compact(() => model.stateOps()).finally(() => (compacting = false));
      }
    }
  }),
);
void BSON;
