import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { platformModels } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { setQueueTimeout } from '@/server/webhooks/store';
import type { Proc } from '../../scripts/lib/procs';
import { freePort } from '../helpers/ports';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually, startWorker } from '../helpers/processes';
import { metaRequest, orgWithInbox, waText, waWebhook, wamid } from '../support/inbox-fixtures';
import { privateRedis, type PrivateRedis } from '../support/private-redis';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Redis dies in the middle of a stream of webhooks and comes back. Webhooks keep being acknowledged
 * (the MongoDB outbox takes them while Redis is away), the worker (a real child process) drains the
 * outbox once Redis is back, and every acknowledged message is stored exactly once.
 */
let redis: PrivateRedis;
let worker: Proc | undefined;

beforeAll(async () => {
  redis = privateRedis(await freePort());
  await redis.start();
  process.env.REDIS_PORT = String(redis.port);
  isolateRedisPrefix('inbox-redis-fault');
  resetEnvForTests();
  setQueueTimeout(300);
  await startTenancy();
});
afterAll(async () => {
  await worker?.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
  await redis.remove();
});

it('acknowledges only stored events and ends with each of them exactly once', async () => {
  const { slug, inbox, phoneNumberId } = await orgWithInbox();
  worker = startWorker({ REDIS_PORT: String(redis.port), WORKER_CONCURRENCY: '4' });
  const acked: string[] = [];
  const refused: string[] = [];
  const send = async (batch: number) => {
    const msgs = Array.from({ length: 3 }, (_, i) => waText(`1555000${batch % 10}${i}11`, `message ${batch}.${i}`, wamid()));
    const res = await metaPost(metaRequest(inbox.publicId, waWebhook(phoneNumberId, { messages: msgs })), {
      params: Promise.resolve({ inboxId: inbox.publicId }),
    });
    (res.status === 200 ? acked : refused).push(...msgs.map((m) => m.id));
  };
  let outboxUsed = 0;
  for (let batch = 0; batch < 60; batch++) {
    if (batch === 20) await redis.kill();
    if (batch === 40) {
      outboxUsed = await platformModels().WebhookOutbox.countDocuments({ orgSlug: slug });
      await redis.start();
    }
    await Promise.all([send(batch * 2), send(batch * 2 + 1)]);
  }
  expect(refused).toEqual([]); // MongoDB was up the whole time, so nothing had to be refused
  expect(outboxUsed).toBeGreaterThan(0);

  const { ConversationMessage } = tenantModels(slug);
  await eventually(async () => (await ConversationMessage.countDocuments()) >= acked.length, `${acked.length} messages`, 60_000);
  await eventually(
    async () => (await platformModels().WebhookOutbox.countDocuments({ orgSlug: slug })) === 0,
    'outbox drained',
    30_000,
  );
  await new Promise((r) => setTimeout(r, 1000)); // late duplicates (the queue's copy of an outbox event) would show now
  const stored = await ConversationMessage.find().select({ providerMessageId: 1 }).lean();
  expect(stored).toHaveLength(acked.length);
  expect(new Set(stored.map((m) => m.providerMessageId))).toEqual(new Set(acked));
}, 120_000);
