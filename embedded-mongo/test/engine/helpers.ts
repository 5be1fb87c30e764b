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

/** A client of its own for tests that set txnNumber themselves (the compatibility suite's helper). */
export { withOwnClient } from '../compat/server.js';
