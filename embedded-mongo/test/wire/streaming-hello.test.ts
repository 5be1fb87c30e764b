/**
 * The driver's default server monitoring (serverMonitoringMode 'auto', which streams on Node):
 * exhaust hello with topologyVersion + maxAwaitTimeMS at the default 10 s heartbeat. The app's
 * test setup and dev launcher rely on it since they no longer force the polling monitor.
 */
import { describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records what a client's monitor reports. */
function watch(client: MongoClient) {
  const seen = { awaited: 0, polled: 0, failures: [] as string[], types: [] as string[] };
  client.on('serverHeartbeatSucceeded', (e) => (e.awaited ? seen.awaited++ : seen.polled++));
  client.on('serverHeartbeatFailed', (e) => seen.failures.push(String(e.failure?.message ?? e.failure)));
  client.on('serverDescriptionChanged', (e) => seen.types.push(e.newDescription.type));
  return seen;
}

describe('streaming hello with the driver defaults', () => {
  it('a client idle for 30 s streams awaited heartbeats and never fails one nor marks the server Unknown', async () => {
    const logs: string[] = [];
    const server = await startEmbeddedMongo({ port: 0, log: (l) => logs.push(l) });
    // No monitoring options at all: exactly what the app's clients use.
    const client = new MongoClient(server.uri);
    const seen = watch(client);
    try {
      await client.db('admin').command({ ping: 1 });
      await sleep(31_000);
      expect(seen.failures).toEqual([]);
      expect(seen.types).not.toContain('Unknown');
      // Default heartbeatFrequencyMS is 10 s: each held hello answers after ~10 s, streamed.
      expect(seen.awaited).toBeGreaterThanOrEqual(2);
      // Still usable at once after the idle period.
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      expect(logs.filter((l) => /internal error/i.test(l))).toEqual([]);
    } finally {
      await client.close();
      await server.stop();
    }
  }, 45_000);

  it('Mongoose stays connected through streamed heartbeats (no disconnected event)', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    const conn = mongoose.createConnection(server.uri);
    const events: string[] = [];
    for (const ev of ['disconnected', 'reconnected', 'error']) conn.on(ev, () => events.push(ev));
    try {
      await conn.asPromise();
      const seen = watch(conn.getClient() as unknown as MongoClient);
      await sleep(21_000);
      expect(events).toEqual([]);
      expect(seen.failures).toEqual([]);
      expect(seen.awaited).toBeGreaterThanOrEqual(1);
      expect(conn.readyState).toBe(1);
    } finally {
      await conn.close();
      await server.stop();
    }
  }, 35_000);

  it('the server stops cleanly while a streaming monitor is connected, and the client then closes', async () => {
    const logs: string[] = [];
    const server = await startEmbeddedMongo({ port: 0, log: (l) => logs.push(l) });
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 2000 });
    let streaming = false;
    client.on('serverHeartbeatStarted', (e) => { if (e.awaited) streaming = true; });
    await client.db('admin').command({ ping: 1 });
    // Wait until the monitor has switched to streaming: a held exhaust hello is outstanding.
    for (let i = 0; i < 200 && !streaming; i++) await sleep(50);
    expect(streaming).toBe(true);
    await sleep(200);
    await server.stop(); // resolves only once every connection, the held monitor's included, is closed
    // The client notices, and closing it does not hang on the streaming connection.
    const err = await client.db('admin').command({ ping: 1 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    await client.close();
    expect(logs.filter((l) => /internal error/i.test(l))).toEqual([]);
  }, 30_000);
});
