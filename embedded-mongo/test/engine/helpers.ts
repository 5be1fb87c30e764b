/** Starts one embedded server per test file and a driver client connected through the rs URI. */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedStartOptions } from '../../src/index.js';
import type { EmbeddedMongo } from '../../src/contracts.js';

export interface Harness {
  server: EmbeddedMongo;
  client: MongoClient;
  close(): Promise<void>;
}

export async function startHarness(opts: EmbeddedStartOptions = {}): Promise<Harness> {
  const server = await startEmbeddedMongo({ port: 0, ...opts });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    server,
    client,
    async close() {
      await client.close();
      await server.stop();
    },
  };
}

/**
 * Runs fn with a client of its own, closed afterwards (its server sessions end with it). For tests
 * that set txnNumber themselves: the server session they use must not go back to a shared pool,
 * whose next driver write would carry a lower txnNumber on the same lsid (TransactionTooOld).
 */
export async function withOwnClient<T>(uri: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
