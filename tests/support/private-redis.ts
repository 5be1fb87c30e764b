import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A Redis of the test's own, so a fault test can kill it without touching the shared 6379. It keeps
 * an append-only file fsynced on every write (as production must: docker-compose runs Redis with
 * AOF): a Redis that forgets acknowledged jobs on restart would lose them whatever the application
 * did. The directory is a temporary one, removed by `remove()`.
 */
export interface PrivateRedis {
  port: number;
  start: () => Promise<void>;
  kill: () => Promise<void>;
  remove: () => Promise<void>;
}

export function privateRedis(port: number): PrivateRedis {
  const dir = mkdtempSync(path.join(tmpdir(), 'inbox-redis-'));
  let proc: ChildProcess | undefined;
  const kill = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    async start() {
      proc = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
      probe.on('error', () => undefined);
      for (let i = 0; i < 100; i++) {
        try {
          await probe.connect().catch(() => undefined);
          if ((await Promise.race([probe.ping(), new Promise((r) => setTimeout(r, 200, 'timeout'))])) === 'PONG') break;
        } catch {
          /* not up yet */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      probe.disconnect();
    },
    kill,
    async remove() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
