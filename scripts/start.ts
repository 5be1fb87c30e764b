/**
 * `npm start` (after `npm run build`): web, realtime, worker and ingest (provider webhooks, on
 * INGEST_PORT, default 3002) from the production build, as one command. PM2 (ecosystem.config.cjs)
 * and docker-compose run the same entries separately; a proxy sends /api/webhooks/* to ingest.
 * Without MONGO_URI the embedded server is started with its data under .data/mongo, and the demo is
 * seeded, so a fresh clone can try the production build too.
 */
import { existsSync } from 'node:fs';
import { checkRedisOrExplain, startEmbeddedMongo } from './lib/preflight';
import { seedAndDescribe } from './lib/seed';
import { startStack } from './lib/stack';

if (existsSync('.env')) process.loadEnvFile('.env');
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? 'production' });

async function main() {
  if (!existsSync(`${process.env.NEXT_DIST_DIR || '.next'}/BUILD_ID`)) throw new Error('No production build: run `npm run build` first.');
  const { parseEnv } = await import('@/server/env');
  const env = parseEnv(process.env);
  if (!(await checkRedisOrExplain(env.REDIS_HOST, env.REDIS_PORT))) process.exit(1);
  let stopMongo: (() => Promise<void>) | undefined;
  if (!process.env.MONGO_URI) {
    const mongo = await startEmbeddedMongo({ dataDir: '.data/mongo', port: env.EMBEDDED_MONGO_PORT });
    process.env.MONGO_URI = mongo.uri;
    stopMongo = () => mongo.stop();
    console.log(`[start] embedded MongoDB at ${mongo.uri}`);
    console.log(await seedAndDescribe());
  }
  const ingestPort = Number(process.env.INGEST_PORT || 3002);
  const stack = await startStack({ mode: 'prod', webPort: env.PORT, realtimePort: env.REALTIME_PORT, ingestPort, env: process.env });
  console.log(`[start] web :${env.PORT}, realtime :${env.REALTIME_PORT}, ingest :${ingestPort} (webhooks), worker running`);
  const shutdown = async () => {
    await stack.stop();
    await stopMongo?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // One process dying takes the command down, so a supervisor restarts the whole set.
  await Promise.race(stack.procs.map((p) => p.exited));
  console.error('[start] a process exited; stopping the others');
  await shutdown();
}

main().catch((err: unknown) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
