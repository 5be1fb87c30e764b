/** Micro-benchmark of index operations (not a test): node --expose-gc --import tsx test/indexes/perf.ts */
import { ObjectId, Int32, serialize, deserialize } from 'bson';
import { createIndexSet } from '../../src/indexes/index.js';
const N = 100_000;
const raw = Array.from({ length: N }, (_, i) => deserialize(serialize({ _id: new ObjectId(), email: `user${i}@example.com`, age: new Int32(i % 90), createdAt: new Date(1e12 + i * 1000), status: ['open', 'closed', 'pending'][i % 3], body: 'x'.repeat(300) }), { promoteValues: false }));
const rss0 = process.memoryUsage().rss; const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const ix = createIndexSet('db.c');
ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
ix.create({ name: 'email_1', key: { email: 1 }, unique: true }, []);
ix.create({ name: 'status_1_createdAt_-1', key: { status: 1, createdAt: -1 } }, []);
for (let i = 0; i < N; i++) ix.insert(i, raw[i]!);
let dt = performance.now() - t;
console.log(`insert ${N} docs into 3 indexes: ${dt.toFixed(0)} ms = ${(N / dt * 1000).toFixed(0)}/s`);
(globalThis as any).gc?.();
console.log(`heap for 3 indexes: ${((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1)} MB`);
t = performance.now();
ix.create({ name: 'age_1', key: { age: 1 } }, raw.map((d, i) => [i, d] as [number, any]));
console.log(`build age_1 over ${N}: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
ix.create({ name: 'createdAt_1', key: { createdAt: 1 }, expireAfterSeconds: 3600 }, raw.map((d, i) => [i, d] as [number, any]));
console.log(`build createdAt_1 over ${N}: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
ix.create({ name: 'idcopy', key: { email: 1, _id: 1 } }, raw.map((d, i) => [i, d] as [number, any]));
console.log(`build compound email_1__id_1 over ${N}: ${(performance.now() - t).toFixed(0)} ms`);
// lookups
const M = 200_000;
t = performance.now();
let found = 0;
const lat: number[] = [];
for (let i = 0; i < M; i++) {
  const s = performance.now();
  const p = ix.plan({ filter: { email: `user${(i * 7919) % N}@example.com` } });
  for (const id of p.candidates!) { found++; break; }
  lat.push(performance.now() - s);
}
dt = performance.now() - t;
lat.sort((a, b) => a - b);
console.log(`plan+lookup findOne by email: ${(M / dt * 1000).toFixed(0)}/s, p50 ${(lat[M / 2 | 0]! * 1000).toFixed(1)}us p99 ${(lat[M * 0.99 | 0]! * 1000).toFixed(1)}us found=${found}`);
t = performance.now();
for (let i = 0; i < M; i++) { const p = ix.plan({ filter: { _id: raw[(i * 7919) % N]!._id } }); for (const id of p.candidates!) { found++; break; } }
dt = performance.now() - t; console.log(`plan+lookup by _id: ${(M / dt * 1000).toFixed(0)}/s`);
t = performance.now();
let n = 0;
for (let i = 0; i < 10000; i++) { const p = ix.plan({ filter: { status: 'open', createdAt: { $gte: new Date(1e12 + (i % 1000) * 50000) } }, sort: { createdAt: -1 }, limit: 20 }); if (!p.providesSort) throw new Error('no sort'); let k = 0; for (const id of p.candidates!) { if (++k === 20) break; } n += k; }
dt = performance.now() - t; console.log(`range+sort+limit 20 on compound: ${(10000 / dt * 1000).toFixed(0)}/s`);
t = performance.now();
for (let i = 0; i < 10000; i++) { const p = ix.plan({ filter: { age: { $gte: 10, $lt: 12 } } }); for (const id of p.candidates!) n++; }
dt = performance.now() - t; console.log(`range age [10,12) (~2.2k docs each) : ${(10000 / dt * 1000).toFixed(0)} queries/s`);
t = performance.now();
console.log('expired', ix.expired(new Date(1e12 + 50000 * 1000)).length, `${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
for (let i = 0; i < N; i++) { const d = raw[i]!; ix.update(i, d, { ...d, body: 'y' }); }
console.log(`update of unindexed field x${N}: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
for (let i = 0; i < N; i++) { const d = raw[i]!; const nd = { ...d, age: new Int32((i + 1) % 90) }; ix.update(i, d, nd); raw[i] = nd; }
console.log(`update of indexed field x${N}: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
for (let i = 0; i < N; i++) ix.remove(i, raw[i]!);
console.log(`remove x${N}: ${(performance.now() - t).toFixed(0)} ms`);
console.log('rss', (process.memoryUsage().rss / 1e6).toFixed(0), 'MB (docs + indexes), rss before indexes', (rss0/1e6).toFixed(0));
