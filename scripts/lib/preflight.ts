import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';

/** Is Redis answering? Explains how to start it when not, instead of a stack trace. */
export async function checkRedisOrExplain(host: string, port: number): Promise<boolean> {
  const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    console.error(
      [
        '',
        `Redis is not answering on ${host}:${port}. The platform needs it for queues, realtime and caches.`,
        'Start it with one of:',
        '  redis-server --daemonize yes --port 6379 --save "" --appendonly no',
        '  sudo apt-get install -y redis-server && sudo service redis-server start',
        '  docker run -d -p 6379:6379 redis:7',
        'or point REDIS_HOST / REDIS_PORT at a running Redis.',
        '',
      ].join('\n'),
    );
    return false;
  } finally {
    client.disconnect();
  }
}

/** Starts the embedded MongoDB-compatible server (dataDir: persistent; undefined: in memory). */
export async function startEmbeddedMongo(opts: { dataDir?: string; port?: number } = {}) {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const { startEmbeddedMongo: start } = await import('embedded-mongo');
  const server = await start({ dataDir: opts.dataDir, port: opts.port ?? 0 });
  return server;
}
