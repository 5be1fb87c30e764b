import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startEmbeddedMongo } from '../../../scripts/lib/preflight';
import { spawnProc } from '../../../scripts/lib/procs';
import { startStack, type Stack } from '../../../scripts/lib/stack';
import { freePort } from '../../helpers/ports';

/**
 * Starts everything the browser tests need and stops it afterwards, even when setup fails half
 * way: the embedded MongoDB (in memory), the demo seed, and web (next start), realtime and worker
 * on free ports, all with a Redis prefix of their own. Production mode, with throwaway secrets.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(`${process.env.NEXT_DIST_DIR || '.next'}/BUILD_ID`)) throw new Error('No production build: run `npm run build` before the e2e tests.');
  const cleanups: Array<() => Promise<unknown>> = [];
  const teardown = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err: unknown) => console.error('[e2e] cleanup:', err));
  };
  try {
    const mongo = await startEmbeddedMongo();
    cleanups.push(() => mongo.stop());
    const [webPort, realtimePort, graphPort] = [await freePort(), await freePort(), await freePort()];
    const secret = () => randomBytes(24).toString('hex');
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      MONGO_URI: mongo.uri,
      REDIS_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
      PUBLIC_PROTOCOL: 'http',
      REALTIME_PUBLIC_URL: `http://localhost:${realtimePort}`,
      SUPER_ADMIN_JWT_SECRET: secret(),
      REALTIME_TOKEN_SECRET: secret(),
      AUTH_SECRET: secret(),
      ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
      ENCRYPTION_ACTIVE_KEY_ID: 'e2e',
      LOG_LEVEL: 'warn',
      // The inbox e2e tests start a fake Graph API on this port (tests/support/fake-providers/graph.ts).
      META_GRAPH_BASE_URL: `http://127.0.0.1:${graphPort}/v21.0`,
    };
    // Asynchronous on purpose: the embedded MongoDB runs in this process and must keep answering.
    const seed = spawnProc('seed', 'node_modules/.bin/tsx', ['scripts/seed.ts'], { ...process.env, ...env }, { quiet: true });
    if ((await seed.exited) !== 0) throw new Error(`demo seed failed:\n${seed.output()}`);

    const stack: Stack = await startStack({ mode: 'prod', webPort, realtimePort, env: { ...process.env, ...env }, quiet: !process.env.DEBUG_CHILDREN });
    cleanups.push(() => stack.stop());
    project.provide('e2e', { webPort, realtimePort, env });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { webPort: number; realtimePort: number; env: Record<string, string> };
  }
}
