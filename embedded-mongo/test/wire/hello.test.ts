/**
 * The replica-set hello: shape, the awaitable form (held until maxAwaitTimeMS, not answered in a
 * loop), and stop() releasing held monitors; plus a driver connecting through the rs URI.
 */
import { describe, expect, it } from 'vitest';
import { MongoClient, Long } from 'mongodb';
import { startEmbeddedMongo } from '../../src/index.js';

describe('hello', () => {
  it('presents a writable primary of rs0 with the limits and times the driver needs', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    const client = new MongoClient(server.uri);
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      expect(hello).toMatchObject({
        isWritablePrimary: true,
        setName: 'rs0',
        setVersion: 1,
        primary: `127.0.0.1:${server.port}`,
        me: `127.0.0.1:${server.port}`,
        hosts: [`127.0.0.1:${server.port}`],
        maxBsonObjectSize: 16777216,
        maxMessageSizeBytes: 48000000,
        maxWriteBatchSize: 100000,
        logicalSessionTimeoutMinutes: 30,
        minWireVersion: 0,
        maxWireVersion: 21,
      });
      expect(hello.topologyVersion.processId).toBeDefined();
      expect(hello.electionId).toBeDefined();
      expect(hello.lastWrite.lastWriteDate).toBeInstanceOf(Date);
      expect(hello.$clusterTime.clusterTime).toBeDefined();
      expect(hello.operationTime).toBeDefined();
      expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/?replicaSet=rs0`);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('holds an awaitable hello until maxAwaitTimeMS instead of answering at once', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    const client = new MongoClient(server.uri);
    try {
      const first = await client.db('admin').command({ hello: 1 });
      const started = Date.now();
      await client.db('admin').command({ hello: 1, topologyVersion: first.topologyVersion, maxAwaitTimeMS: Long.fromNumber(400) }, { timeoutMS: 5000 } as never);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('stop() answers held hellos and finishes promptly', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    const client = new MongoClient(server.uri);
    const first = await client.db('admin').command({ hello: 1 });
    const held = client.db('admin').command({ hello: 1, topologyVersion: first.topologyVersion, maxAwaitTimeMS: Long.fromNumber(20_000) }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    // The hello is held for up to 20 s; a stop() that waited for it would exceed this test's 10 s
    // timeout (no wall-clock assertion: the shared machine's load would make one flaky).
    await server.stop();
    await held;
    await client.close();
  }, 10_000);
});

describe('streaming (exhaust) hello', () => {
  it('keeps the driver monitor on the streaming protocol without ever marking the server Unknown', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    const client = new MongoClient(server.uri, { heartbeatFrequencyMS: 500, serverMonitoringMode: 'stream' });
    const types: string[] = [];
    let awaited = 0;
    let failures = 0;
    client.on('serverDescriptionChanged', (e) => types.push(e.newDescription.type));
    client.on('serverHeartbeatSucceeded', (e) => { if (e.awaited) awaited++; });
    client.on('serverHeartbeatFailed', () => failures++);
    try {
      await client.db('admin').command({ ping: 1 });
      await new Promise((r) => setTimeout(r, 2500));
      await client.db('admin').command({ ping: 1 });
      expect(awaited).toBeGreaterThanOrEqual(3);
      expect(failures).toBe(0);
      expect(types).not.toContain('Unknown');
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
