/**
 * End to end durability: a real server process on a data directory takes writes from several driver
 * clients (insertOne, updateOne, insertMany, transactions), is SIGKILLed in the middle of the load,
 * and is restarted on the same directory. Every write the driver saw acknowledged must be there.
 * Repeated with the data growing from round to round, then a clean stop/start at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { startServerProcess, type ServerProcess } from './server-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const engineReady = fs.existsSync(path.join(here, '../../src/index.ts'));

const KILLS = 4;
const CLIENTS = 6;
const DB = 'durability';
const COLLS = ['items', 'bulk', 'txa', 'txb'] as const;
type Coll = (typeof COLLS)[number];

/** `${coll}/${_id}` -> lowest version of the document that must be present. */
type Acked = Map<string, number>;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-sigkill-'));
const live: ServerProcess[] = [];
afterAll(() => {
  for (const s of live) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const connect = (uri: string, serverSelectionTimeoutMS = 5000) => new MongoClient(uri, { serverSelectionTimeoutMS, maxPoolSize: 2 });

async function start(): Promise<ServerProcess> {
  const s = await startServerProcess(dataDir);
  live.push(s);
  return s;
}

/** Checks every acknowledged write against what the restarted server returns. */
async function verify(uri: string, acked: Acked, label: string) {
  const client = connect(uri);
  try {
    const db = client.db(DB);
    expect((await db.command({ ping: 1 })).ok).toBe(1);
    const present = new Map<string, number>();
    for (const coll of COLLS) {
      for (const d of await db.collection<{ _id: string; v?: number }>(coll).find({}, { projection: { v: 1 } }).toArray()) {
        present.set(`${coll}/${d._id}`, d.v ?? 0);
      }
    }
    const lost = [...acked].filter(([key, v]) => (present.get(key) ?? -1) < v);
    expect(lost.length, `${label}: ${lost.length} of ${acked.size} acknowledged writes lost, e.g. ${JSON.stringify(lost.slice(0, 5))}`).toBe(0);
    return present.size;
  } finally {
    await client.close();
  }
}

async function transactionsWork(uri: string): Promise<boolean> {
  const client = connect(uri);
  const session = client.startSession();
  try {
    session.startTransaction();
    await client.db(DB).collection('txprobe').insertOne({ probe: true }, { session });
    await session.commitTransaction();
    return true;
  } catch (err) {
    console.warn(`[sigkill] transactions unavailable, load runs without them: ${(err as Error).message}`);
    return false;
  } finally {
    await session.endSession().catch(() => {});
    await client.close();
  }
}

/** Writes from CLIENTS concurrent clients until `stop` is set; records what was acknowledged. */
function runLoad(uri: string, round: number, acked: Acked, useTxn: boolean) {
  let stopped = false;
  let operations = 0; // acknowledged operations (an insertMany or a transaction counts once)
  const errorsBeforeKill: string[] = [];
  const ack = (coll: Coll, id: string, v = 0) => {
    const key = `${coll}/${id}`;
    acked.set(key, Math.max(acked.get(key) ?? 0, v));
  };
  const pad = 'x'.repeat(300);
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    // Short server selection: after the kill, in-flight operations should fail fast.
    const client = connect(uri, 1000);
    const db = client.db(DB);
    try {
      for (let i = 0; !stopped; i++) {
        const id = `r${round}c${c}i${i}`;
        try {
          await db.collection('items').insertOne({ _id: id as never, round, c, i, v: 0, pad });
          ack('items', id);
          operations++;
          if (i % 3 === 2) {
            const target = `r${round}c${c}i${i - 1}`;
            await db.collection('items').updateOne({ _id: target as never }, { $set: { v: i } });
            ack('items', target, i);
            operations++;
          }
          if (i % 10 === 5) {
            const docs = Array.from({ length: 25 }, (_, k) => ({ _id: `${id}m${k}` as never, round, k, pad }));
            await db.collection('bulk').insertMany(docs);
            docs.forEach((d) => ack('bulk', d._id));
            operations++;
          }
          if (useTxn && i % 20 === 7) {
            const session = client.startSession();
            try {
              session.startTransaction();
              await db.collection('txa').insertOne({ _id: id as never, round }, { session });
              await db.collection('txb').insertOne({ _id: id as never, round }, { session });
              await session.commitTransaction();
              ack('txa', id);
              ack('txb', id);
              operations++;
            } finally {
              await session.endSession().catch(() => {});
            }
          }
        } catch (err) {
          if (!stopped) errorsBeforeKill.push(`client ${c}: ${(err as Error).message}`);
          return;
        }
      }
    } finally {
      await client.close().catch(() => {});
    }
  });
  return {
    stop: () => (stopped = true),
    operations: () => operations,
    done: Promise.all(clients),
    errorsBeforeKill,
  };
}

async function waitFor(cond: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('durability under SIGKILL', () => {
  it.skipIf(!engineReady)(
    'every acknowledged write survives repeated kills under load, and the server restarts cleanly',
    async () => {
      const acked: Acked = new Map();
      let server = await start();
      const useTxn = await transactionsWork(server.uri);
      for (let round = 0; round < KILLS; round++) {
        const load = runLoad(server.uri, round, acked, useTxn);
        // Kill at a random moment once this round is well under way.
        await waitFor(() => load.operations() >= 300 || load.errorsBeforeKill.length > 0, 30_000);
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 700));
        const ackedAtKill = acked.size;
        load.stop();
        server.proc.kill('SIGKILL');
        const exit = await server.exited;
        expect(exit.signal).toBe('SIGKILL');
        await load.done;
        expect(load.errorsBeforeKill).toEqual([]);
        // Writes acknowledged while the kill signal was on its way count too.
        expect(acked.size).toBeGreaterThanOrEqual(ackedAtKill);

        server = await start();
        const stored = await verify(server.uri, acked, `after kill ${round + 1}`);
        const perColl = COLLS.map((c) => `${c} ${[...acked.keys()].filter((k) => k.startsWith(`${c}/`)).length}`).join(', ');
        console.log(`[sigkill] kill ${round + 1}: ${acked.size} acknowledged writes (${perColl}), ${stored} documents after restart`);
        const log = server.stderr();
        expect(log, 'restart log').not.toMatch(/CORRUPTION|FAILED|Error|at .*\(/);
      }

      // A clean stop (journal flushed, compacted, lock released) and start keep everything too.
      server.proc.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
      expect(fs.readdirSync(dataDir).filter((n) => n.endsWith('.lock'))).toEqual([]);
      // stop() compacted: the state now starts from a snapshot.
      expect(fs.readdirSync(dataDir).some((n) => /^snapshot-\d+\.bson$/.test(n))).toBe(true);
      server = await start();
      await verify(server.uri, acked, 'after clean restart');
      server.proc.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
      expect(acked.size).toBeGreaterThan(KILLS * 200);
      // Every kind of write was really exercised (transactions only if the server supports them).
      for (const c of useTxn ? COLLS : (['items', 'bulk'] as const)) {
        expect([...acked.keys()].some((k) => k.startsWith(`${c}/`)), `no acknowledged write in ${c}`).toBe(true);
      }
      expect(useTxn, 'transactions should work on the embedded replica set').toBe(true);
    },
    180_000,
  );
});
