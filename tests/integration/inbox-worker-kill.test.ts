import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import type { Proc } from '../../scripts/lib/procs';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually, startWorker } from '../helpers/processes';
import { metaRequest, orgWithInbox, waText, waWebhook, wamid } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The worker (a real child process) is killed with SIGKILL in the middle of a batch and started
 * again: its unfinished jobs come back once their lock expires, and the idempotent ingest stores
 * every acknowledged message exactly once.
 */
isolateRedisPrefix('inbox-worker-kill');
const workerEnv = { WORKER_CONCURRENCY: '8', WORKER_LOCK_DURATION_MS: '2000' };
let worker: Proc | undefined;

beforeAll(startTenancy);
afterAll(async () => {
  await worker?.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

it('stores every acknowledged message exactly once across a SIGKILL of the worker', async () => {
  const { slug, inbox, phoneNumberId } = await orgWithInbox();
  const acked: string[] = [];
  for (let batch = 0; batch < 40; batch += 4) {
    await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        // Several customers, so conversations and customers are created concurrently too.
        const msgs = Array.from({ length: 4 }, (_, i) =>
          waText(`1555100${(batch + k) % 7}${i}22`, `m ${batch + k}.${i}`, wamid()),
        );
        const res = await metaPost(metaRequest(inbox.publicId, waWebhook(phoneNumberId, { messages: msgs })), {
          params: Promise.resolve({ inboxId: inbox.publicId }),
        });
        if (res.status === 200) acked.push(...msgs.map((m) => m.id));
      }),
    );
  }
  expect(acked).toHaveLength(160);

  const { ConversationMessage, Customer, Conversation } = tenantModels(slug);
  worker = startWorker(workerEnv);
  await eventually(async () => (await ConversationMessage.countDocuments()) >= 40, 'worker halfway', 60_000);
  await worker.stop('SIGKILL');
  const atKill = await ConversationMessage.countDocuments();
  expect(atKill).toBeLessThan(160); // killed in the middle, not after the end

  worker = startWorker(workerEnv);
  await eventually(async () => (await ConversationMessage.countDocuments()) >= 160, 'all messages after restart', 90_000);
  await new Promise((r) => setTimeout(r, 2500)); // a stalled job retried late would duplicate now
  const stored = await ConversationMessage.find().select({ providerMessageId: 1, applied: 1 }).lean();
  expect(stored).toHaveLength(160);
  expect(new Set(stored.map((m) => m.providerMessageId))).toEqual(new Set(acked));
  expect(stored.every((m) => m.applied)).toBe(true);
  expect(await Customer.countDocuments()).toBe(28); // 7 numbers x 4 positions, never duplicated by races
  expect(await Conversation.countDocuments()).toBe(28);
}, 180_000);
