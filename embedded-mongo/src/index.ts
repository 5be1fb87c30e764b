/**
 * Public entry: start an embedded MongoDB-compatible server (single-member replica set `rs0`).
 * In memory unless `dataDir` is given, in which case every acknowledged write is journaled.
 */
import type { EmbeddedMongo, Journal, StartOptions } from './contracts.js';
import { startServer } from './server.js';
import { createIndexSet } from './indexes/index.js';

export type { EmbeddedMongo, StartOptions } from './contracts.js';

export interface EmbeddedStartOptions extends StartOptions {
  /** How often expired TTL documents are removed (default 1000 ms). */
  ttlIntervalMs?: number;
}

export async function startEmbeddedMongo(opts: EmbeddedStartOptions = {}): Promise<EmbeddedMongo> {
  // A durable server's journal lines (torn tail, corruption, stale lock, replay) must be seen:
  // stderr by default. In-memory servers (tests) stay quiet unless given a logger.
  const log = opts.log ?? (opts.dataDir ? (line: string) => process.stderr.write(`[embedded-mongo] ${line}\n`) : () => {});
  let journal: Journal | undefined;
  if (opts.dataDir) {
    const { createFileJournal } = await import('./journal/index.js');
    journal = createFileJournal(opts.dataDir, log);
  }
  return startServer({ ...opts, log, journal, indexFactory: createIndexSet });
}
