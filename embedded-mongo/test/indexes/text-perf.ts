/** Micro-benchmark of the text index (not a test): node --expose-gc --import tsx test/indexes/text-perf.ts */
import { createIndexSet } from '../../src/indexes/index.js';
const words = 'order refund parcel kettle delivery late broken replace invoice payment card account password reset login email phone address shipping tracking customer support ticket urgent please thanks hello problem issue question'.split(' ');
const N = 100_000;
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const docs = Array.from({ length: N }, (_, i) => ({ _id: i, body: Array.from({ length: 30 }, () => words[Math.floor(rnd() * words.length)]).join(' ') + ` ref${i}` }));
(globalThis as any).gc?.(); const h0 = process.memoryUsage().heapUsed;
const ix = createIndexSet('db.m');
let t = performance.now();
ix.create({ name: 'body_text', key: { body: 'text' } }, docs.map((d, i) => [i, d] as [number, any]));
console.log('build text 100k x 31 words', (performance.now() - t).toFixed(0), 'ms');
(globalThis as any).gc?.(); console.log('text index heap', ((process.memoryUsage().heapUsed - h0) / 1e6).toFixed(1), 'MB');
t = performance.now();
let n = 0; for (let i = 0; i < 20; i++) n += ix.textSearch({ $search: 'refund kettle' }).size;
console.log('search 2 common terms', ((performance.now() - t) / 20).toFixed(1), 'ms per query, hits', n / 20);
t = performance.now();
for (let i = 0; i < 200; i++) ix.textSearch({ $search: `ref${i * 7}` });
console.log('search rare term', ((performance.now() - t) / 200).toFixed(3), 'ms');
t = performance.now();
for (let i = 0; i < 1000; i++) { ix.insert(N + i, { _id: N + i, body: 'new refund message about kettle' }); }
console.log('insert 1000 into text index', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
for (let i = 0; i < 1000; i++) { ix.remove(i, docs[i]!); }
console.log('remove 1000 from text index', (performance.now() - t).toFixed(0), 'ms');
