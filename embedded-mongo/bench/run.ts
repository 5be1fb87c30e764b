/**
 * Benchmark of the embedded MongoDB-compatible server, over TCP with the official driver.
 *
 *   npx tsx embedded-mongo/bench/run.ts            starts the server in a child process
 *   MONGO_URI=mongodb://... npx tsx embedded-mongo/bench/run.ts   measures another server
 *     (BENCH_SERVER_PID=<pid> to read that server's RSS when it runs on this machine)
 *   BENCH_DOCS, BENCH_INSERT_ONE_SECONDS, BENCH_MAX_SECONDS, BENCH_RESULTS_FILE (JSON output),
 *   BENCH_NO_BUNDLE=1 (run the server under tsx instead of from a bundle),
 *   BENCH_PHASES=insertOne,findOne,range,group,txn,insertMany,insertManyParallel (a subset; the
 *     first insertMany load always runs; `insertMany` adds the two more loads the median is taken over),
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (extra node flags for the server)
 *
 * The server runs in its own process so its resident memory (VmRSS) and CPU are its own; this
 * process is only the client. Every phase is bounded (fixed duration or op count) and a global
 * watchdog ends the run after BENCH_MAX_SECONDS (default 150).
 *
 * Prints: insertOne/s with 8 concurrent clients, insertMany docs/s, indexed findOne p50/p95/p99
 * over 100k documents, an indexed range query with sort + limit (p50/p99), $group over 100k
 * documents, transaction commit latency, server RSS after loading 100k ~500-byte documents, and a
 * one-line summary against the targets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { cpuMs, int, latencies, ms, percentile, rssMB } from './stats.js';
import { SERVER_NODE_FLAGS, bundleEntry, serverEnv } from '../bin/bundle.js';
import { makeDoc } from './docs.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const INSERT_ONE_SECONDS = Number(process.env.BENCH_INSERT_ONE_SECONDS ?? 4);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 150);
const DB_NAME = 'embedded_mongo_bench';

const TARGETS = { findOneP99Ms: 1, insertOnePerSec: 10_000, insertManyDocsPerSec: 100_000, rssMB: 150 };

let child: ChildProcess | undefined;

async function startServerProcess(): Promise<{ uri: string; pid: number }> {
  // Plain `node` on a bundle of the server (bin/bundle.ts), as the CLI runs it: the tsx loader
  // alone costs ~48 MB of resident memory. `node --import tsx` when bundling fails. Either way
  // the child pid IS the server process.
  const entry = join(HERE, 'server-process.ts');
  const bundled = process.env.BENCH_NO_BUNDLE ? undefined : await bundleEntry(entry).catch((e: Error) => {
    process.stderr.write(`bundling the server failed (${e.message}); running it under tsx\n`);
    return undefined;
  });
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, ...(bundled ? [bundled] : ['--import', 'tsx', entry])], {
    cwd: join(HERE, '..', '..'),
    env: serverEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server process did not start within 30 s')), 30_000);
    child!.once('exit', (code) => reject(new Error(`server process exited early (code ${code})`)));
    lines.on('line', (line) => {
      try {
        const info = JSON.parse(line);
        if (info.uri) {
          clearTimeout(timer);
          resolve({ uri: info.uri, pid: info.pid ?? child!.pid });
        }
      } catch {
        process.stderr.write(`[server] ${line}\n`);
      }
    });
  });
}

async function stopServerProcess() {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** BENCH_PHASES=... runs only those phases (see the header; the first insertMany load always runs). */
const PHASES = process.env.BENCH_PHASES?.split(',').map((p) => p.trim());
const runs = (phase: string) => !PHASES || PHASES.includes(phase);

const results: Record<string, number | null> = {};
let serverPid: number | null = null;
/** Server CPU per operation of a phase: the figure to compare when the machine is busy. */
const cpuMark = () => (serverPid ? cpuMs(serverPid) : null);
function cpuPerOp(key: string, since: number | null, ops: number, unit: 'us' | 'ms' = 'us'): string {
  const now = cpuMark();
  if (since == null || now == null || ops <= 0) return '';
  results[key] = ((now - since) * (unit === 'us' ? 1000 : 1)) / ops;
  return `  [server CPU ${results[key]!.toFixed(1)} ${unit}/op]`;
}
const log = (line: string) => process.stdout.write(line + '\n');

async function benchInsertOne(uri: string) {
  // 8 independent clients (one connection each), writing for a fixed time.
  const clients = await Promise.all(Array.from({ length: 8 }, () => new MongoClient(uri, { maxPoolSize: 1 }).connect()));
  try {
    const colls = clients.map((c) => c.db(DB_NAME).collection('insert_one'));
    await colls[0]!.insertOne(makeDoc(-1)); // create the collection outside the measurement
    // Warm-up, not measured: a freshly started server compiles its modules on first use and the
    // JIT has not optimised the write path yet; the first second is several times slower.
    const warmEnd = performance.now() + 2_000;
    await Promise.all(
      colls.map(async (c, w) => {
        let i = 0;
        while (performance.now() < warmEnd) await c.insertOne(makeDoc(-(w * 10_000_000 + ++i)));
      }),
    );
    await colls[0]!.deleteMany({});
    let count = 0;
    const cpu0 = cpuMark();
    const t0 = performance.now();
    const deadline = t0 + INSERT_ONE_SECONDS * 1000;
    await Promise.all(
      colls.map(async (c, w) => {
        let i = 0;
        while (performance.now() < deadline) {
          await c.insertOne(makeDoc(w * 10_000_000 + i++));
          count++;
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    results.insertOnePerSec = count / secs;
    log(`insertOne, 8 concurrent clients:      ${int(results.insertOnePerSec)} ops/s  (${int(count)} in ${secs.toFixed(1)} s)${cpuPerOp('insertOneCpuUs', cpu0, count)}`);
    // One client alone, to tell per-request latency from lack of concurrency.
    let j = 0;
    const single = await latencies(20_000, 200, () => colls[0]!.insertOne(makeDoc(90_000_000 + j++)), 2_500);
    results.insertOneSingleP50 = percentile(single, 50);
    results.insertOneSingleP99 = percentile(single, 99);
    log(`  insertOne latency, 1 client:         p50 ${ms(results.insertOneSingleP50)}  p99 ${ms(results.insertOneSingleP99)}  (${int(single.length)} sequential)`);
    await colls[0]!.drop();
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

const BATCH = 1000;
/** insertMany rate of each load (the first one loads the collection the queries use). */
const loadRates: number[] = [];

/**
 * Loads DOCS bench documents into `coll` (with the two secondary indexes, created first as in the
 * product) in insertMany batches of 1000, and prints the rate: DOCS / time spent in the calls.
 */
async function timedLoad(coll: Collection, label: string): Promise<void> {
  await coll.createIndex({ email: 1 }, { unique: true });
  await coll.createIndex({ group: 1, score: -1 });
  // The documents are built before the timed calls (as a loader reads its input first), so
  // neither building them nor collecting that garbage lands inside the insertMany calls.
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < DOCS; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(DOCS, start + BATCH); i++) docs.push(makeDoc(i));
    batches.push(docs);
  }
  const cpu0 = cpuMark();
  // Time spent in insertMany calls (driver encoding, the round trip, the server).
  let inCalls = 0;
  let clientCpu = 0;
  for (const docs of batches) {
    const t = performance.now();
    const c = process.cpuUsage();
    await coll.insertMany(docs, { ordered: false });
    const used = process.cpuUsage(c);
    clientCpu += used.user + used.system;
    inCalls += performance.now() - t;
  }
  const rate = DOCS / (inCalls / 1000);
  loadRates.push(rate);
  // The driver waits for each batch's reply: client and server work add up per document.
  const client = `, client (driver) CPU ${(clientCpu / DOCS).toFixed(1)} us/doc`;
  log(`${label}: ${int(rate)} docs/s  (${int(DOCS)} in ${(inCalls / 1000).toFixed(2)} s)${cpuPerOp('insertManyCpuUsPerDoc', cpu0, DOCS).replace(/]$/, `${client}]`)}`);
}

async function benchInsertMany(db: Db, serverPid: number | null): Promise<Collection> {
  const coll = db.collection('docs');
  await timedLoad(coll, `insertMany (batches of ${BATCH}, 2 secondary indexes)`);
  const count = await coll.estimatedDocumentCount();
  if (count !== DOCS) throw new Error(`expected ${DOCS} documents after loading, found ${count}`);
  const stats = await db.command({ collStats: 'docs' }).catch(() => null);
  if (stats?.avgObjSize) log(`  average document size reported by the server: ${int(stats.avgObjSize)} bytes`);
  if (serverPid) {
    // Let the allocator settle briefly before reading the resident size.
    await new Promise((r) => setTimeout(r, 1000));
    results.rssMB = rssMB(serverPid);
  }
  // Where the memory is (embedded-mongo's serverStatus.mem carries the V8 figures).
  const mem = (await db.admin().command({ serverStatus: 1 }).catch(() => null))?.mem;
  if (mem?.heapUsed !== undefined) {
    results.heapUsedMB = mem.heapUsed;
    log(`  server memory: V8 heap ${mem.heapUsed} MB used of ${mem.heapTotal} MB, off-heap buffers ${mem.arrayBuffers} MB (17 MB of them bson's scratch buffer, mostly never touched so not resident)`);
  }
  return coll;
}

/**
 * Two windows of 5,000 sequential lookups. The first starts after a 500-lookup warm-up, right
 * after loading: for about a second both processes are still compiling (TurboFan threads) and
 * collecting the load's garbage on this 2-core machine, and its p99 shows it. The second, after
 * those, is the steady state the target is judged on. Both are printed.
 */
async function benchFindOne(coll: Collection) {
  let rnd = 12345;
  const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) % DOCS;
  const lookup = async () => {
    const d = await coll.findOne({ email: `user${next()}@example.com` });
    if (!d) throw new Error('findOne found nothing');
  };
  const first = await latencies(5000, 500, lookup, 15_000);
  results.findOneFirstP99 = percentile(first, 99);
  const cpu0 = cpuMark();
  const lat = await latencies(5000, 0, lookup, 15_000);
  results.findOneP50 = percentile(lat, 50);
  results.findOneP95 = percentile(lat, 95);
  results.findOneP99 = percentile(lat, 99);
  log(`indexed findOne over ${int(DOCS)} docs:   p50 ${ms(results.findOneP50)}  p95 ${ms(results.findOneP95)}  p99 ${ms(results.findOneP99)}  (${int(lat.length)} sequential, after ${int(first.length + 500)} warm-up lookups)${cpuPerOp('findOneCpuUs', cpu0, lat.length)}`);
  log(`  the ${int(first.length)} lookups right after loading (500 warm-up): p50 ${ms(percentile(first, 50))}  p99 ${ms(results.findOneFirstP99)}`);
}

async function benchRange(coll: Collection) {
  let g = 0;
  const cpu0 = cpuMark();
  let calls = 0;
  const lat = await latencies(
    2000,
    200,
    async () => {
      g = (g + 37) % 1000;
      calls++;
      const docs = await coll
        .find({ group: g, score: { $gte: 20_000 } })
        .sort({ score: -1 })
        .limit(10)
        .toArray();
      if (docs.length === 0) throw new Error('range query found nothing');
    },
    10_000,
  );
  results.rangeP50 = percentile(lat, 50);
  results.rangeP99 = percentile(lat, 99);
  log(`indexed range + sort + limit 10:     p50 ${ms(results.rangeP50)}  p99 ${ms(results.rangeP99)}  (${int(lat.length)} sequential)${cpuPerOp('rangeCpuUs', cpu0, calls)}`);
}

async function benchGroup(coll: Collection) {
  const times: number[] = [];
  const deadline = performance.now() + 20_000;
  const cpu0 = cpuMark();
  for (let i = 0; i < 5 && (i === 0 || performance.now() < deadline); i++) {
    const t0 = performance.now();
    const groups = await coll
      .aggregate([{ $group: { _id: '$profile.city', n: { $sum: 1 }, avgScore: { $avg: '$score' }, maxAge: { $max: '$profile.age' } } }])
      .toArray();
    times.push(performance.now() - t0);
    if (groups.length !== 4) throw new Error(`$group returned ${groups.length} groups`);
  }
  times.sort((a, b) => a - b);
  results.groupMsMedian = percentile(times, 50);
  results.groupMsMin = times[0] ?? null;
  log(`$group over ${int(DOCS)} docs:            median ${results.groupMsMedian.toFixed(1)} ms  min ${(times[0] ?? NaN).toFixed(1)} ms  (${times.length} runs)${cpuPerOp('groupCpuMs', cpu0, times.length, 'ms')}`);
}

/**
 * Two more loads of DOCS into a fresh collection (dropped after each): one load lasts about a
 * second, and on this shared VM the CPU time of identical work swings by +-25% from one second to
 * the next, so the insertMany figure judged is the median of the three loads.
 */
async function benchInsertManyAgain(db: Db) {
  for (let k = 2; k <= 3; k++) {
    const coll = db.collection('docs_again');
    await timedLoad(coll, `  insertMany, load ${k} of 3 (a fresh collection)`);
    await coll.drop();
  }
  const sorted = [...loadRates].sort((a, b) => a - b);
  results.insertManyDocsPerSec = sorted[Math.floor(sorted.length / 2)]!;
  log(`  insertMany, median of the ${sorted.length} loads: ${int(results.insertManyDocsPerSec)} docs/s  (${sorted.map(int).join(', ')})`);
}

/**
 * For information (the target is judged on the single stream above): two clients, each with its
 * own connection, inserting 50k documents each in batches of 1000 at the same time. With one
 * stream the driver encodes a batch while the server waits and the other way round; with two,
 * one client's encoding overlaps the server's work for the other, as in a bulk loader with
 * several workers (mongoimport --numInsertionWorkers).
 */
async function benchInsertManyParallel(uri: string) {
  const clients = await Promise.all([0, 1].map(() => new MongoClient(uri, { maxPoolSize: 1 }).connect()));
  try {
    const colls = clients.map((c) => c.db(DB_NAME).collection('insert_many_parallel'));
    await colls[0]!.createIndex({ email: 1 }, { unique: true });
    await colls[0]!.createIndex({ group: 1, score: -1 });
    const half = DOCS / 2;
    const batches = colls.map((_, w) => {
      const out: Record<string, unknown>[][] = [];
      for (let s = 0; s < half; s += 1000) out.push(Array.from({ length: Math.min(1000, half - s) }, (_, k) => makeDoc(w * half + s + k)));
      return out;
    });
    const cpu0 = cpuMark();
    const t0 = performance.now();
    await Promise.all(colls.map(async (c, w) => {
      for (const docs of batches[w]!) await c.insertMany(docs, { ordered: false });
    }));
    const secs = (performance.now() - t0) / 1000;
    results.insertManyParallelDocsPerSec = DOCS / secs;
    log(`  insertMany, 2 clients at once (${int(half)} each, for information): ${int(results.insertManyParallelDocsPerSec)} docs/s${cpuPerOp('insertManyParallelCpuUsPerDoc', cpu0, DOCS)}`);
    await colls[0]!.drop();
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function benchTransactions(client: MongoClient, db: Db) {
  const accounts = db.collection<{ _id: number; balance: number }>('accounts');
  await accounts.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i, balance: 1000 })));
  const session = client.startSession();
  const commit: number[] = [];
  const whole: number[] = [];
  const deadline = performance.now() + 15_000;
  let measured = 0;
  try {
    for (let i = 0; i < 600 && performance.now() < deadline; i++) {
      const from = i % 100;
      const to = (i * 31 + 7) % 100;
      const t0 = performance.now();
      session.startTransaction();
      await accounts.updateOne({ _id: from }, { $inc: { balance: -1 } }, { session });
      await accounts.updateOne({ _id: to }, { $inc: { balance: 1 } }, { session });
      const t1 = performance.now();
      await session.commitTransaction();
      const t2 = performance.now();
      commit.push(t2 - t1);
      whole.push(t2 - t0);
      measured = i + 1;
    }
  } finally {
    await session.endSession();
  }
  // The first 100 are warm-up (fewer if the time budget cut the run short).
  const warm = measured > 200 ? 100 : Math.floor(measured / 4);
  commit.splice(0, warm);
  whole.splice(0, warm);
  commit.sort((a, b) => a - b);
  whole.sort((a, b) => a - b);
  results.txnCommitP50 = percentile(commit, 50);
  results.txnCommitP99 = percentile(commit, 99);
  results.txnWholeP50 = percentile(whole, 50);
  results.txnWholeP99 = percentile(whole, 99);
  log(`transaction commitTransaction:       p50 ${ms(results.txnCommitP50)}  p99 ${ms(results.txnCommitP99)}`);
  log(`  whole transaction (2 updates + commit): p50 ${ms(results.txnWholeP50)}  p99 ${ms(results.txnWholeP99)}  (${int(commit.length)} of ${int(measured)} sequential)`);
  const [{ total } = { total: undefined }] = await accounts.aggregate([{ $group: { _id: null, total: { $sum: '$balance' } } }]).toArray();
  if (total !== 100_000) throw new Error(`transactions lost money: total ${total}`);
}

function verdict(ok: boolean | null) {
  return ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL';
}

async function main() {
  const watchdog = setTimeout(async () => {
    log(`benchmark exceeded ${MAX_SECONDS} s; aborting`);
    await stopServerProcess();
    process.exit(2);
  }, MAX_SECONDS * 1000);
  watchdog.unref();

  const external = process.env.MONGO_URI;
  let uri: string;
  let pid: number | null = null;
  if (external) {
    uri = external;
    // Optional: the pid of a local server given by MONGO_URI, to read its RSS.
    pid = process.env.BENCH_SERVER_PID ? Number(process.env.BENCH_SERVER_PID) : null;
    serverPid = pid;
    log(`server: ${uri.replace(/\/\/[^@/]*@/, '//***@')} (MONGO_URI)`);
  } else {
    const started = await startServerProcess();
    uri = started.uri;
    pid = started.pid;
    serverPid = pid;
    log(`server: embedded-mongo in child process pid ${pid}, ${uri}`);
  }
  log(`node ${process.version}, ${int(DOCS)} documents of ~500 bytes`);
  // Other work on the machine skews every number below; say so instead of hiding it.
  const load = loadavg()[0] ?? 0;
  log(`machine: ${cpus().length} CPUs, load average ${load.toFixed(2)} at start${load > cpus().length ? '  (WARNING: machine busy, numbers are pessimistic)' : ''}`);
  if (pid) {
    const base = rssMB(pid);
    results.rssBaselineMB = base;
    log(`server RSS at start:                 ${base?.toFixed(1)} MB`);
  }

  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 }).connect();
  const started = performance.now();
  try {
    const db = client.db(DB_NAME);
    await db.dropDatabase();
    if (runs('insertOne')) await benchInsertOne(uri);
    const coll = await benchInsertMany(db, pid);
    if (results.rssMB != null) {
      const delta = results.rssBaselineMB != null ? ` (+${(results.rssMB - results.rssBaselineMB).toFixed(1)} MB over the idle server)` : '';
      log(`server RSS after loading ${int(DOCS)} docs:  ${results.rssMB.toFixed(1)} MB VmRSS${delta}`);
    }
    if (runs('findOne')) await benchFindOne(coll);
    if (runs('range')) await benchRange(coll);
    if (runs('group')) await benchGroup(coll);
    if (runs('txn')) await benchTransactions(client, db);
    if (runs('insertMany')) await benchInsertManyAgain(db);
    if (runs('insertManyParallel')) await benchInsertManyParallel(uri);
    if (pid) {
      results.rssEndMB = rssMB(pid);
      log(`server RSS at the end:               ${results.rssEndMB?.toFixed(1)} MB`);
    }
    await db.dropDatabase();
  } finally {
    await client.close();
    await stopServerProcess();
  }
  log(`total benchmark time: ${((performance.now() - started) / 1000).toFixed(1)} s, load average at end ${(loadavg()[0] ?? 0).toFixed(2)}`);

  // A phase cut short by its time limit leaves its figure unset: it reports as NaN and FAIL.
  const figure = (k: string): number => (results as Record<string, number | undefined>)[k] ?? NaN;
  const r = { findOneP99: figure('findOneP99'), insertOnePerSec: figure('insertOnePerSec'), insertManyDocsPerSec: figure('insertManyDocsPerSec') };
  const rssOk = results.rssMB == null ? null : results.rssMB <= TARGETS.rssMB;
  log(
    `SUMMARY: findOne p99 ${r.findOneP99.toFixed(3)} ms (target <= ${TARGETS.findOneP99Ms} ms: ${verdict(r.findOneP99 <= TARGETS.findOneP99Ms)})` +
      ` | insertOne ${int(r.insertOnePerSec)}/s (>= ${int(TARGETS.insertOnePerSec)}: ${verdict(r.insertOnePerSec >= TARGETS.insertOnePerSec)})` +
      ` | insertMany ${int(r.insertManyDocsPerSec)} docs/s (>= ${int(TARGETS.insertManyDocsPerSec)}: ${verdict(r.insertManyDocsPerSec >= TARGETS.insertManyDocsPerSec)})` +
      ` | RSS ${results.rssMB == null ? 'n/a' : results.rssMB.toFixed(1) + ' MB'} for ${int(DOCS)} docs (<= ${TARGETS.rssMB} MB: ${verdict(rssOk)})`,
  );
  // Machine-readable results only on request, so runs do not dirty the working tree.
  if (process.env.BENCH_RESULTS_FILE) {
    writeFileSync(
      process.env.BENCH_RESULTS_FILE,
      JSON.stringify({ at: new Date().toISOString(), server: external ? 'MONGO_URI' : 'embedded', docs: DOCS, load: loadavg()[0], results }, null, 2),
    );
  }
  clearTimeout(watchdog);
}

main().catch(async (err) => {
  process.stderr.write(`benchmark failed: ${err?.stack ?? err}\n`);
  await stopServerProcess();
  process.exit(1);
});
