/**
 * Names of the files in a data directory and what a directory listing means.
 *
 *   snapshot-<gen>.bson      full state at the start of generation <gen> (written as .tmp, fsynced,
 *                            then renamed: if the name exists, the file is complete)
 *   journal-<gen>.log        batches committed during generation <gen>
 *
 * The durable state is: the newest complete snapshot S (or nothing), then journal-S, journal-S+1, ...
 * in order. A compaction that is cut at the start of generation g+1 writes new commits into
 * journal-(g+1) right away, before snapshot-(g+1) exists; until the snapshot is renamed into place the
 * chain snapshot-g + journal-g + journal-(g+1) still describes everything, so a crash at any point of
 * compaction leaves a recoverable directory. Files of generations below S are leftovers.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const snapshotName = (gen: number) => `snapshot-${pad(gen)}.bson`;
export const journalName = (gen: number) => `journal-${pad(gen)}.log`;
export const tmpSnapshotName = (gen: number) => `${snapshotName(gen)}.tmp`;

const pad = (gen: number) => String(gen).padStart(8, '0');
const SNAPSHOT_RE = /^snapshot-(\d+)\.bson$/;
const JOURNAL_RE = /^journal-(\d+)\.log$/;
const TMP_RE = /^snapshot-\d+\.bson\.tmp$/;

export interface DirPlan {
  /** Newest complete snapshot, or null to start from the empty state. */
  snapshotGen: number | null;
  /** Journals to replay after the snapshot, ascending. */
  journalGens: number[];
  /** Unfinished compaction output and generations superseded by the snapshot: safe to delete. */
  leftovers: string[];
}

export async function planDir(dir: string): Promise<DirPlan> {
  const names = await fs.readdir(dir);
  const snapshots: number[] = [];
  const journals: number[] = [];
  const leftovers: string[] = [];
  for (const name of names) {
    let m: RegExpMatchArray | null;
    if ((m = name.match(SNAPSHOT_RE))) snapshots.push(Number(m[1]));
    else if ((m = name.match(JOURNAL_RE))) journals.push(Number(m[1]));
    else if (TMP_RE.test(name)) leftovers.push(name);
  }
  const snapshotGen = snapshots.length ? Math.max(...snapshots) : null;
  const base = snapshotGen ?? -1;
  for (const g of snapshots) if (g < base) leftovers.push(snapshotName(g));
  for (const g of journals) if (g < base) leftovers.push(journalName(g));
  return { snapshotGen, journalGens: journals.filter((g) => g >= base).sort((a, b) => a - b), leftovers };
}

/** Makes renames, creations and deletions in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export const inDir = (dir: string, name: string) => path.join(dir, name);
