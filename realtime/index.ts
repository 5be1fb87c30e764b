import { getEnv } from '@/server/env';
import { startHeartbeat } from '@/server/health/heartbeat';
import { closeRedis } from '@/server/redis';
import { orgRoom } from '@/server/realtime/rooms';
import { orgBySlug } from '@/server/realtime/origin';
import { closeConfigEvents, onOrgConfigUpdated } from '@/server/tenancy/config-events';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { startRealtimeServer } from './server';

/** Realtime process entry: `tsx realtime/index.ts` (PM2, compose, npm run dev with watch). */
async function main() {
  const env = getEnv(); // stops here, naming the variable, when configuration is wrong
  await connectMongo();
  const server = await startRealtimeServer(env.REALTIME_PORT);
  const heartbeat = startHeartbeat('realtime');

  // A suspended (or deleted) organisation loses its sockets within a second, on every instance.
  const unsubscribe = onOrgConfigUpdated(async ({ slug }) => {
    if (slug === '*') return;
    // Let the resolver's own handler drop its cache first, then look again.
    await new Promise((resolve) => setImmediate(resolve));
    const org = await orgBySlug(slug);
    if (!org || org.status !== 'active') server.io.local.in(orgRoom(slug)).disconnectSockets(true);
  });

  console.log(`[realtime] listening on :${server.port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[realtime] ${signal}: closing`);
    unsubscribe();
    await heartbeat.stop();
    await server.close();
    await Promise.allSettled([closeConfigEvents(), closeRedis(), disconnectMongo()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('[realtime] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
