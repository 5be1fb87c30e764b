/**
 * Shared helper of the compatibility suite: where the server under test lives.
 *
 * With MONGO_URI set the suite runs against that server (a real MongoDB 7/8 replica set, so that
 * transactions and change streams work), otherwise against a fresh in-process embedded server,
 * one per test file (vitest runs each file in its own worker). Every test file passes its own
 * database name and drops it first, so files never depend on each other or on leftovers.
 */
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

export const usingRealMongo = Boolean(process.env.MONGO_URI);

type Running = { uri: string; stop(): Promise<void> };
let running: Promise<Running> | undefined;

/** URI of the server under test: MONGO_URI, or one embedded server started lazily per test file. */
export async function serverUri(): Promise<string> {
  if (process.env.MONGO_URI) return process.env.MONGO_URI;
  running ??= (async () => {
    // Imported lazily so the suite can run against MONGO_URI without our server being built.
    const mod = await import('../../src/index.js');
    return (await mod.startEmbeddedMongo({})) as Running;
  })();
  return (await running).uri;
}

/** Stops the embedded server of this test file, if one was started. */
export async function stopServer(): Promise<void> {
  if (!running) return;
  const r = running;
  running = undefined;
  await (await r).stop();
}

export interface Ctx {
  client: MongoClient;
  db: Db;
  uri: string;
  close(): Promise<void>;
}

/**
 * Connects a driver client and returns a clean database named `dbName` (dropped first).
 * Call from beforeAll; call close() from afterAll.
 */
export async function openDb(dbName: string, options: MongoClientOptions = {}): Promise<Ctx> {
  const uri = await serverUri();
  // Short server selection so a broken server fails the test instead of hanging for 30 s.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...options });
  await client.connect();
  const db = client.db(dbName);
  await db.dropDatabase();
  return {
    client,
    db,
    uri,
    async close() {
      await client.close();
      await stopServer();
    },
  };
}

/**
 * Runs fn with a client of its own, closed afterwards (which ends its server sessions). For tests
 * that set txnNumber themselves: MongoDB refuses a lower txnNumber on an lsid that has seen a
 * higher one (TransactionTooOld), so the server session they used must not go back to a shared
 * client's pool, whose next retryable write would carry the driver's own, lower, number.
 */
export async function withOwnClient<T>(uri: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Resolves with the promise's value, or rejects after ms, so a missing event fails instead of hanging. */
export function within<T>(ms: number, p: Promise<T>, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not complete within ${ms} ms`)), ms);
    }),
  ]);
}

/** Captures the rejection of a promise (fails if it resolves) so its fields can be asserted. */
export async function rejectionOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** Polls `check` until it returns true or timeoutMs passes; returns whether it became true. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
