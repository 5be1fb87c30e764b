import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { startHeartbeat } from '@/server/health/heartbeat';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { startOutboxDrainer } from '@/server/services/inbox/outbox';
import { startAssignmentEngine } from '@/server/services/assignment/ready';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents, onOrgConfigUpdated } from '@/server/tenancy/config-events';
import { startWorkers } from './start';

/** Worker process entry: wires processors from the queue table and shuts down gracefully. */
async function main() {
  getEnv(); // stops here, naming the variable, when configuration is wrong
  await connectMongo();
  // Subscribing makes the tenancy caches of this process follow org:config:updated (suspension,
  // secret rotation); jobs for a suspended organisation then see its new status.
  const unsubscribe = onOrgConfigUpdated(() => undefined);
  await startAssignmentEngine(); // routing, SLA and assignment for every conversation ingested here
  const running = startWorkers({ concurrencyOverride: getEnv().WORKER_CONCURRENCY });
  const heartbeat = startHeartbeat('worker');
  const outbox = startOutboxDrainer(); // webhooks stored while Redis was down, events of reactivated orgs
  console.log(`[worker] processing ${running.workers.map((w) => w.name).join(', ')}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing running jobs`);
    await outbox.stop();
    await running.stop(); // waits for active jobs; waiting jobs stay queued
    unsubscribe();
    await heartbeat.stop();
    await Promise.allSettled([closeEmitter(), closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
    console.log('[worker] stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('[worker] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
