import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { resetEnvForTests } from '@/server/env';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { ingestEvent } from '@/server/services/inbox/ingest';
import { queueReply } from '@/server/services/inbox/outbound';
import { invalidateInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually } from '../helpers/processes';
import { graphPermanentError, graphRateLimited, startFakeGraph } from '../support/fake-providers/graph';
import type { FakeServer } from '../support/fake-providers/server';
import { startFakeTwilio } from '../support/fake-providers/twilio';
import { META_SECRETS, metaRequest, orgWithInbox, TWILIO, waStatus, waWebhook, wamid } from '../support/inbox-fixtures';
import { startWorkers, type RunningWorkers } from '../../worker/start';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** Agent replies through the outbound queue to local fake Graph and Twilio APIs that check every request. */
isolateRedisPrefix('inbox-outbound');
let workers: RunningWorkers;
let graph: FakeServer;
let twilio: FakeServer;
const AGENT = '65a000000000000000000001';
const knownPhoneIds: string[] = [];

beforeAll(async () => {
  graph = await startFakeGraph({ accessToken: META_SECRETS.accessToken, phoneNumberIds: knownPhoneIds, accountIds: [] });
  twilio = await startFakeTwilio({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  process.env.META_GRAPH_BASE_URL = `${graph.url}/v21.0`;
  process.env.TWILIO_BASE_URL = twilio.url;
  resetEnvForTests();
  await startTenancy();
  workers = startWorkers();
});
afterAll(async () => {
  await workers.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
  await graph.close();
  await twilio.close();
});

/** An org with a WhatsApp inbox the fake Graph API knows, and a conversation the customer opened `ageMs` ago. */
async function conversation(ageMs = 60_000, opts: Parameters<typeof orgWithInbox>[0] = {}) {
  const setup = await orgWithInbox(opts);
  knownPhoneIds.push(setup.phoneNumberId); // the fake Graph API refuses numbers it does not know
  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const channel = opts.channel ?? 'whatsapp';
  const from = channel === 'sms' ? { externalId: '+15552220000', phone: '+15552220000' } : { externalId: waId, name: 'Ana' };
  const res = await ingestEvent({
    slug: setup.slug,
    inboxId: setup.inbox.id,
    event: {
      kind: 'message',
      channel,
      providerMessageId: wamid(),
      from,
      timestamp: Date.now() - ageMs,
      type: 'text',
      text: 'hi',
      attachments: [],
    },
  });
  return { ...setup, waId, conversationId: String(res.conversationId) };
}

async function messageOf(slug: string, id: string) {
  return tenantModels(slug).ConversationMessage.findById(id).lean();
}

describe('outbound replies', () => {
  it('reach the Graph API with the Cloud API request, then a status webhook marks them delivered', async () => {
    const { slug, conversationId, waId, phoneNumberId, inbox } = await conversation();
    const start = graph.requests.length;
    const { messageId } = await queueReply(slug, AGENT, { conversationId, text: 'Your order ships today' });
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'sent', 'sent');
    const req = graph.requests.slice(start).find((r) => r.path === `/v21.0/${phoneNumberId}/messages`);
    expect(req?.headers.authorization).toBe(`Bearer ${META_SECRETS.accessToken}`);
    expect(JSON.parse(req!.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'text',
      text: { preview_url: false, body: 'Your order ships today' },
    });
    expect(graph.problems).toEqual([]);

    const sent = await messageOf(slug, messageId);
    const body = waWebhook(phoneNumberId, { statuses: [waStatus(sent!.providerMessageId!, 'delivered')] });
    expect(
      (await metaPost(metaRequest(inbox.publicId, body), { params: Promise.resolve({ inboxId: inbox.publicId }) })).status,
    ).toBe(200);
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'delivered', 'delivered');
    expect((await messageOf(slug, messageId))?.statusHistory.map((h) => h.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('retries a 429 after the Retry-After the API asked for, then succeeds', async () => {
    const { slug, conversationId } = await conversation();
    const start = graph.requests.length;
    graph.script(graphRateLimited(1));
    const { messageId } = await queueReply(slug, AGENT, { conversationId, text: 'retry me' });
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'sent', 'sent after retry', 20_000);
    const reqs = graph.requests.slice(start);
    expect(reqs).toHaveLength(2);
    expect(reqs.map((r) => r.body)).toEqual([reqs[0]!.body, reqs[0]!.body]);
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1 honoured
  });

  it('marks the message failed with the provider error on a permanent refusal, without retrying', async () => {
    const { slug, conversationId } = await conversation();
    const start = graph.requests.length;
    graph.script(graphPermanentError());
    const { messageId } = await queueReply(slug, AGENT, { conversationId, text: 'never arrives' });
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'failed', 'failed');
    expect((await messageOf(slug, messageId))?.error).toEqual({
      code: 'meta:131026',
      message: 'Receiver is incapable of receiving this message',
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(graph.requests.length - start).toBe(1);
  });

  it('outside the 24-hour window refuses free-form text and sends an approved template with its variables', async () => {
    const { slug, conversationId } = await conversation(25 * 3600 * 1000);
    await expect(queueReply(slug, AGENT, { conversationId, text: 'hello again' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const { Template } = tenantModels(slug);
    const pending = await Template.create({
      name: 'draft',
      channel: 'whatsapp',
      body: 'Hi {{1}}',
      variables: ['name'],
      status: 'pending',
    });
    await expect(
      queueReply(slug, AGENT, { conversationId, template: { templateId: String(pending._id), variables: ['Ana'] } }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const tpl = await Template.create({
      name: 'order_update',
      language: 'en_US',
      channel: 'whatsapp',
      body: 'Hi {{1}}, order {{2}} is on its way',
      variables: ['name', 'order'],
      status: 'approved',
    });
    await expect(
      queueReply(slug, AGENT, { conversationId, template: { templateId: String(tpl._id), variables: ['Ana'] } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const start = graph.requests.length;
    const { messageId } = await queueReply(slug, AGENT, {
      conversationId,
      template: { templateId: String(tpl._id), variables: ['Ana', '#1042'] },
    });
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'sent', 'template sent');
    expect((await messageOf(slug, messageId))?.content).toBe('Hi Ana, order #1042 is on its way');
    expect(JSON.parse(graph.requests[start]!.body).template).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: '#1042' },
          ],
        },
      ],
    });
  });

  it('sends SMS replies through the Twilio Messages API', async () => {
    const { slug, conversationId } = await conversation(60_000, {
      provider: 'twilio',
      channel: 'sms',
      meta: undefined,
      twilio: TWILIO,
    });
    const start = twilio.requests.length;
    const { messageId } = await queueReply(slug, AGENT, { conversationId, text: 'We open at 9' });
    await eventually(async () => (await messageOf(slug, messageId))?.status === 'sent', 'sms sent');
    const form = new URLSearchParams(twilio.requests[start]!.body);
    expect(Object.fromEntries(form)).toEqual({ To: '+15552220000', From: TWILIO.fromNumber, Body: 'We open at 9' });
    expect(twilio.problems).toEqual([]);
    expect((await messageOf(slug, messageId))?.providerMessageId).toMatch(/^SM/);
    invalidateInbox();
  });
});
