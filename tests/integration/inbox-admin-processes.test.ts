import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureTenantIndexes } from '@/server/db/models/tenant';
import { resetEnvForTests } from '@/server/env';
import { closeQueues } from '@/server/queues';
import { closeEmitter } from '@/server/realtime/emit';
import { ingestEvent } from '@/server/services/inbox/ingest';
import { queueReply } from '@/server/services/inbox/outbound';
import { tenantModels } from '@/server/tenancy/connections';
import type { Proc } from '../../scripts/lib/procs';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually, startWorker } from '../helpers/processes';
import { startFakeGraph, type FakeGraphOptions } from '../support/fake-providers/graph';
import type { FakeServer } from '../support/fake-providers/server';
import { META_SECRETS, wamid } from '../support/inbox-fixtures';
import { authzOrg, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Admin changes reach another process at once: a real worker child has the inbox cached from a
 * first reply; the admin disables it, then replaces its access token, through tRPC in this process.
 * The worker's cache lives 60 s, so only the `org:config:updated` announcement over Redis can make
 * it see either change within the 15 s these assertions wait.
 */
isolateRedisPrefix(`inbox-admin-proc-${randomBytes(3).toString('hex')}`);
const phoneNumberId = `10${randomBytes(4).readUInt32BE(0)}`;
const graphOpts: FakeGraphOptions = { accessToken: META_SECRETS.accessToken, phoneNumberIds: [phoneNumberId] };
let graph: FakeServer;
let worker: Proc;
let org: AuthzOrg;

beforeAll(async () => {
  graph = await startFakeGraph(graphOpts);
  process.env.META_GRAPH_BASE_URL = `${graph.url}/v21.0`;
  resetEnvForTests();
  await startTenancy();
  org = await authzOrg('ip');
  await ensureTenantIndexes(tenantModels(org.slug));
  worker = startWorker({ META_GRAPH_BASE_URL: `${graph.url}/v21.0` });
});
afterAll(async () => {
  await worker?.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
  await graph?.close();
});

const statusOf = async (id: string) => (await tenantModels(org.slug).ConversationMessage.findById(id).lean())?.status;

it('a worker process stops sending through a disabled inbox and uses a replaced token at once', async () => {
  const admin = org.caller('Admin');
  const inbox = await admin.inboxes.create({ name: 'WA', provider: 'meta', channel: 'whatsapp', meta: { ...META_SECRETS, phoneNumberId } });
  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const { conversationId } = await ingestEvent({
    slug: org.slug,
    inboxId: inbox.id,
    event: { kind: 'message', channel: 'whatsapp', providerMessageId: wamid(), from: { externalId: waId, name: 'Ana' }, timestamp: Date.now(), type: 'text', text: 'hi', attachments: [] },
  });
  const reply = (text: string) => queueReply(org.slug, org.users.Admin!.id, { conversationId: String(conversationId), text });

  const first = await reply('first');
  await eventually(async () => (await statusOf(first.messageId)) === 'sent', 'the first reply is sent (the worker caches the inbox)', 60_000);

  await admin.inboxes.update({ id: inbox.id, enabled: false });
  const sentBefore = graph.requests.length;
  const second = await reply('second');
  await eventually(async () => (await statusOf(second.messageId)) === 'failed', 'the reply through the disabled inbox fails');
  expect((await tenantModels(org.slug).ConversationMessage.findById(second.messageId).lean())?.error?.code).toBe('inbox_disabled');
  expect(graph.requests.length).toBe(sentBefore);

  await admin.inboxes.update({ id: inbox.id, enabled: true });
  graphOpts.accessToken = 'EAAG-replaced-token-0001'; // Meta issued a new token
  await admin.inboxes.rotateSecret({ id: inbox.id, secret: 'accessToken', value: 'EAAG-replaced-token-0001' });
  const third = await reply('third');
  await eventually(async () => (await statusOf(third.messageId)) === 'sent', 'the reply goes out with the new token');
  expect(graph.requests.at(-1)?.headers.authorization).toBe('Bearer EAAG-replaced-token-0001');
});
