/**
 * `npm run dev`: the whole platform on this machine, with reload.
 *   - MongoDB: MONGO_URI if set, else the embedded server with its data under .data/mongo
 *   - Redis: checked, with instructions when it is not running
 *   - web (next dev), realtime and worker (tsx watch)
 *   - the demo organisation, seeded idempotently, and the URLs and credentials to try it
 */
import { existsSync } from 'node:fs';
import { checkRedisOrExplain, startEmbeddedMongo } from './lib/preflight';
import { startStack } from './lib/stack';
import { seedAndDescribe } from './lib/seed';

if (existsSync('.env')) process.loadEnvFile('.env');
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? 'development' });

async function main() {
  const { parseEnv } = await import('@/server/env');
  const env = parseEnv(process.env); // names the variable when configuration is wrong
  if (!(await checkRedisOrExplain(env.REDIS_HOST, env.REDIS_PORT))) process.exit(1);

  let stopMongo: (() => Promise<void>) | undefined;
  if (!process.env.MONGO_URI) {
    const port = env.EMBEDDED_MONGO_PORT;
    // 27017 taken (a real MongoDB, another checkout): any free port will do, children get the URI.
    const mongo = await startEmbeddedMongo({ dataDir: '.data/mongo', port }).catch(() => startEmbeddedMongo({ dataDir: '.data/mongo', port: 0 }));
    process.env.MONGO_URI = mongo.uri;
    stopMongo = () => mongo.stop();
    console.log(`[dev] embedded MongoDB at ${mongo.uri} (data in .data/mongo)`);
  }

  const credentials = await seedAndDescribe();
  const stack = await startStack({ mode: 'dev', webPort: env.PORT, realtimePort: env.REALTIME_PORT, env: process.env });

  console.log(
    [
      '',
      'Customer Ops is running:',
      `  demo organisation   http://demo.${env.BASE_DOMAIN}:${env.PORT}`,
      `  super-admin panel   http://${env.PLATFORM_HOST}:${env.PORT}`,
      `  system status       http://localhost:${env.PORT}/health`,
      `  realtime            http://localhost:${env.REALTIME_PORT}/health`,
      '',
      credentials,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[dev] stopping...');
    await stack.stop();
    await stopMongo?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // If a child dies for good (not a reload), say so but keep the others up for debugging.
  for (const p of stack.procs) void p.exited.then((code) => !stopping && console.error(`[dev] ${p.name} exited (code ${code})`));
}

main().catch((err: unknown) => {
  console.error(`[dev] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
