import { z } from 'zod';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { closeQueues } from '@/server/queues';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents, onOrgConfigUpdated } from '@/server/tenancy/config-events';
import { startIngestServer } from './server';

/**
 * Ingest process entry: `node --import tsx ingest/index.ts` (npm start, PM2, compose). Provider
 * webhooks (Meta, Twilio) and web-chat posts, served by the same src/server code as the Next.js
 * routes but without Next's request machinery, which cost ~15x the handler's own CPU per webhook.
 */
const ingestPort = z.coerce.number().int().min(0).max(65535).default(3002);

async function main() {
  getEnv(); // stops here, naming the variable, when configuration is wrong
  const port = ingestPort.safeParse(process.env.INGEST_PORT || undefined);
  if (!port.success) throw new Error(`INGEST_PORT: ${port.error.issues[0]?.message ?? 'invalid'}`);
  await connectMongo();
  // Inbox secrets are cached per process: rotation and suspension must reach this one too.
  const unsubscribe = onOrgConfigUpdated(() => undefined);
  const server = await startIngestServer(port.data);
  console.log(`[ingest] listening on :${server.port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[ingest] ${signal}: no new connections, finishing ${server.inFlight()} in-flight webhooks`);
    await server.close(); // every acknowledged event is in the queue (or the outbox) by now
    unsubscribe();
    await Promise.allSettled([closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
    console.log('[ingest] stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('[ingest] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
