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
  const log = opts.log ?? (() => {});
  let journal: Journal | undefined;
  if (opts.dataDir) {
    const { createFileJournal } = await import('./journal/index.js');
    journal = createFileJournal(opts.dataDir, log);
  }
  return startServer({ ...opts, log, journal, indexFactory: createIndexSet });
}
