/**
 * Heap used by the index set alone for the benchmark's 100k documents (_id, unique email,
 * { group: 1, score: -1 }), with documents discarded after indexing as the engine does
 * (it keeps BSON buffers). Run: node --expose-gc --import tsx test/indexes/memory.ts
 */
import { ObjectId, serialize, deserialize } from 'bson';
import { createIndexSet } from '../../src/indexes/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const N = 100_000;
const PAD = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(7).slice(0, 262);
gc();
const before = process.memoryUsage().heapUsed;
const ix = createIndexSet('bench.c');
ix.create({ name: '_id_', key: { _id: 1 }, unique: true }, []);
ix.create({ name: 'email_1', key: { email: 1 }, unique: true }, []);
ix.create({ name: 'group_1_score_-1', key: { group: 1, score: -1 } }, []);
for (let i = 0; i < N; i++) {
  const buf = serialize({ _id: new ObjectId(), seq: i, email: `user${i}@example.com`, group: i % 1000, score: (i * 7919) % 100_003, createdAt: new Date(), tags: ['alpha', 'beta'], note: PAD });
  ix.insert(i, deserialize(buf, { promoteValues: false }));
}
gc();
const used = process.memoryUsage().heapUsed - before;

console.log(`index set for ${N} docs (3 indexes): ${(used / 1e6).toFixed(1)} MB heap, ${(used / N).toFixed(0)} bytes per document`);
// keep the index set alive until after the measurement
if (ix.list().length !== 3) throw new Error('unexpected');
