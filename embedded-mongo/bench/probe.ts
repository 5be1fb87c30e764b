/**
 * Memory and CPU probe: loads BENCH_DOCS bench documents into the bundled server (own process),
 * prints its VmRSS and V8 breakdown (serverStatus.mem) idle and loaded, and the server CPU per
 * document of the load. Optional: PROBE_PHASE=findOne|range|group measures one query phase;
 * PROBE_NODE_ARGS passes node flags to the server (e.g. --heapsnapshot-signal=SIGUSR2 with
 * PROBE_SNAPSHOT=1 to write a heap snapshot after loading, into the current directory).
 *
 *   npx tsx embedded-mongo/bench/probe.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { SERVER_NODE_FLAGS, bundleEntry, serverEnv } from '../bin/bundle.js';
import { cpuMs, rssMB } from './stats.js';
import { makeDoc } from './docs.js';

const N = Number(process.env.BENCH_DOCS ?? 100_000);
const bundled = await bundleEntry(fileURLToPath(new URL('./server-process.ts', import.meta.url)));
const args = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args, bundled], { stdio: ['pipe', 'pipe', 'inherit'], env: serverEnv() });
const uri: string = await new Promise((resolve) =>
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try { resolve(JSON.parse(l).uri); } catch { /* not the ready line */ }
  }),
);
const pid = child.pid!;
const client = await new MongoClient(uri).connect();
try {
  const coll = client.db('probe').collection('docs');
  await coll.createIndex({ email: 1 }, { unique: true });
  await coll.createIndex({ group: 1, score: -1 });
  const mem = async (label: string) => {
    const s = await client.db('admin').command({ serverStatus: 1 });
    console.log(`${label}: VmRSS ${rssMB(pid)?.toFixed(1)} MB, ${JSON.stringify(s.mem)}`);
  };
  await mem('idle');
  const c0 = cpuMs(pid)!;
  const t0 = performance.now();
  for (let s = 0; s < N; s += 1000) {
    const docs = [];
    for (let i = s; i < Math.min(N, s + 1000); i++) docs.push(makeDoc(i));
    await coll.insertMany(docs, { ordered: false });
  }
  console.log(`insertMany: ${((N / (performance.now() - t0)) * 1000).toFixed(0)} docs/s, server CPU ${(((cpuMs(pid)! - c0) * 1000) / N).toFixed(2)} us/doc`);
  await new Promise((r) => setTimeout(r, 1000));
  await mem(`loaded ${N} docs`);
  if (process.env.PROBE_SMAPS) console.log(mappings(pid));
  const phase = process.env.PROBE_PHASE;
  if (phase) {
    const c1 = cpuMs(pid)!;
    const t1 = performance.now();
    let n = 0;
    if (phase === 'findOne') for (; n < 20_000; n++) await coll.findOne({ email: `user${(n * 7919) % N}@example.com` });
    if (phase === 'range') for (; n < 5000; n++) await coll.find({ group: n % 1000, score: { $gte: 20_000 } }).sort({ score: -1 }).limit(10).toArray();
    if (phase === 'group') for (; n < 3; n++) await coll.aggregate([{ $group: { _id: '$profile.city', n: { $sum: 1 }, avgScore: { $avg: '$score' }, maxAge: { $max: '$profile.age' } } }]).toArray();
    console.log(`${phase}: ${n} ops, ${(((performance.now() - t1) * 1000) / n).toFixed(1)} us/op wall, server CPU ${(((cpuMs(pid)! - c1) * 1000) / n).toFixed(1)} us/op`);
    await mem(`after ${phase}`);
  }
  if (process.env.PROBE_SNAPSHOT) {
    process.kill(pid, 'SIGUSR2');
    await new Promise((r) => setTimeout(r, 15_000));
  }
} finally {
  await client.close();
  child.kill('SIGTERM');
}

/** Resident memory by kind of mapping (PROBE_SMAPS=1): heap, anonymous (V8 + malloc), files. */
function mappings(p: number): string {
  const byKind = new Map<string, number>();
  let kind = '';
  for (const line of readFileSync(`/proc/${p}/smaps`, 'utf8').split('\n')) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) kind = m[1] ? (m[1].startsWith('/') ? m[1].split('/').pop()! : m[1]) : '[anon]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byKind.set(kind, (byKind.get(kind) ?? 0) + Number(rss[1]));
  }
  return [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, kb]) => `${k} ${(kb / 1024).toFixed(1)} MB`).join(', ');
}
