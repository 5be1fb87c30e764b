/**
 * Drives a journal with N concurrent committers for a fixed time and reports commits/s and how many
 * write+fdatasync rounds they shared. Used by group-commit.test.ts; run directly to print numbers:
 *   npx tsx embedded-mongo/test/journal/group-commit-load.ts [committers=8] [ms=2000]
 */
import { pathToFileURL } from 'node:url';
import type { JournalOp } from '../../src/contracts.js';
import { openAndReplay, put, removeDir, tempDir } from './helpers.js';

export interface LoadResult {
  committers: number;
  commits: number;
  flushes: number;
  seconds: number;
  commitsPerSecond: number;
  commitsPerFlush: number;
}

export async function runCommitLoad(committers: number, ms: number): Promise<LoadResult> {
  const dir = tempDir('load');
  try {
    const { journal } = await openAndReplay(dir);
    const deadline = performance.now() + ms;
    const start = performance.now();
    let commits = 0;
    // A typical insertOne batch: one put of a ~200 byte document.
    const batchFor = (w: number, i: number): JournalOp[] => [put('bench', 'c', { _id: `${w}-${i}`, name: 'x'.repeat(150), n: i })];
    await Promise.all(
      Array.from({ length: committers }, async (_, w) => {
        for (let i = 0; performance.now() < deadline; i++) {
          await journal.commit(batchFor(w, i));
          commits++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const { flushes } = journal.stats;
    await journal.close();
    return {
      committers,
      commits,
      flushes,
      seconds,
      commitsPerSecond: Math.round(commits / seconds),
      commitsPerFlush: Number((commits / flushes).toFixed(2)),
    };
  } finally {
    removeDir(dir);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const committers = Number(process.argv[2] ?? 8);
  const ms = Number(process.argv[3] ?? 2000);
  for (const n of [1, committers]) console.log(JSON.stringify(await runCommitLoad(n, ms)));
}
