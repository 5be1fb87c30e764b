import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as metaGet, POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { POST as twilioPost } from '@/app/api/webhooks/twilio/[inboxId]/route';
import { platformModels } from '@/server/db/models/platform';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues, queue } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually } from '../helpers/processes';
import {
  META_SECRETS,
  metaRequest,
  orgWithInbox,
  TWILIO,
  twilioRequest,
  waBatch,
  waContact,
  waStatus,
  waText,
  waWebhook,
  wamid,
} from '../support/inbox-fixtures';
import { startWorkers, type RunningWorkers } from '../../worker/start';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** Signed provider webhooks through the real route handlers, the real queue and an in-process worker. */
isolateRedisPrefix('inbox-webhooks');
let workers: RunningWorkers;
const params = (inboxId: string) => ({ params: Promise.resolve({ inboxId }) });

beforeAll(async () => {
  await startTenancy();
  workers = startWorkers();
});
afterAll(async () => {
  await workers.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

async function jobCount() {
  const c = await queue('inboxIngest').getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

describe('meta webhooks (WhatsApp Cloud API)', () => {
  it('answers the GET verification handshake only with the right verify token', async () => {
    const { inbox } = await orgWithInbox();
    const url = (token: string) =>
      `https://hooks.example.com/api/webhooks/meta/${inbox.publicId}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await metaGet(new Request(url(META_SECRETS.verifyToken)), params(inbox.publicId));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await metaGet(new Request(url('wrong-token-123')), params(inbox.publicId))).status).toBe(403);
  });

  it('gives 404 for an unknown inbox and 401 for a missing or wrong signature, storing nothing', async () => {
    const { slug, inbox, phoneNumberId } = await orgWithInbox();
    const body = waWebhook(phoneNumberId, {
      contacts: [waContact('15551234567', 'Ana')],
      messages: [waText('15551234567', 'hello')],
    });
    const before = await jobCount();
    expect(
      (await metaPost(metaRequest('ibx_000000000000000000000000', body), params('ibx_000000000000000000000000'))).status,
    ).toBe(404);
    expect((await metaPost(metaRequest(inbox.publicId, body, { signature: null }), params(inbox.publicId))).status).toBe(401);
    const forged = metaRequest(inbox.publicId, body, { signature: `sha256=${'0'.repeat(64)}` });
    expect((await metaPost(forged, params(inbox.publicId))).status).toBe(401);
    // Signed with another app's secret, and a body changed after signing.
    expect(
      (await metaPost(metaRequest(inbox.publicId, body, { signature: signOther(body) }), params(inbox.publicId))).status,
    ).toBe(401);
    const raw = JSON.stringify(body);
    const tampered = metaRequest(inbox.publicId, raw.replace('hello', 'HELLO'), {
      signature: metaRequest(inbox.publicId, raw).headers.get('x-hub-signature-256'),
    });
    expect((await metaPost(tampered, params(inbox.publicId))).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await jobCount()).toBe(before);
    expect(await platformModels().WebhookOutbox.countDocuments({ orgSlug: slug })).toBe(0);
    expect(await tenantModels(slug).ConversationMessage.countDocuments()).toBe(0);
  });

  it('refuses oversized bodies with 413', async () => {
    const { inbox } = await orgWithInbox();
    const big = JSON.stringify({ object: 'whatsapp_business_account', pad: 'x'.repeat(300 * 1024) });
    expect((await metaPost(metaRequest(inbox.publicId, big), params(inbox.publicId))).status).toBe(413);
  });

  it('stores text, media, location and interactive messages of a batched webhook once, even when replayed', async () => {
    const { slug, inbox, phoneNumberId } = await orgWithInbox();
    const ana = '15551234567';
    const ids = [wamid(), wamid(), wamid(), wamid()];
    const body = waBatch(phoneNumberId, [
      { contacts: [waContact(ana, 'Ana')], messages: [waText(ana, 'Hi, where is my order?', ids[0])] },
      {
        contacts: [waContact(ana, 'Ana')],
        messages: [
          {
            from: ana,
            id: ids[1],
            timestamp: '1700000001',
            type: 'image',
            image: { id: '1234567890', mime_type: 'image/jpeg', sha256: 'abc', caption: 'the box' },
          },
          {
            from: ana,
            id: ids[2],
            timestamp: '1700000002',
            type: 'location',
            location: { latitude: 38.72, longitude: -9.14, name: 'Lisbon' },
          },
          {
            from: ana,
            id: ids[3],
            timestamp: '1700000003',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'track', title: 'Track order' } },
          },
        ],
      },
    ]);
    const jobsBefore = await jobCount();
    for (let i = 0; i < 3; i++)
      expect((await metaPost(metaRequest(inbox.publicId, body), params(inbox.publicId))).status).toBe(200);
    // The redeliveries were dropped in Redis (deduplication id per provider message), not by the database.
    expect(await jobCount()).toBe(jobsBefore + 4);
    const { ConversationMessage, Conversation, Customer, EventLog } = tenantModels(slug);
    await eventually(async () => (await ConversationMessage.countDocuments()) === 4, 'four messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(await ConversationMessage.countDocuments()).toBe(4);
    expect(await Customer.countDocuments()).toBe(1);
    expect(await Conversation.countDocuments()).toBe(1);
    const byId = new Map((await ConversationMessage.find().lean()).map((m) => [m.providerMessageId, m]));
    expect(byId.get(ids[0])).toMatchObject({ type: 'text', content: 'Hi, where is my order?', direction: 'in' });
    expect(byId.get(ids[1])).toMatchObject({
      type: 'media',
      attachments: [{ kind: 'image', mediaId: '1234567890', mimeType: 'image/jpeg', caption: 'the box' }],
    });
    expect(byId.get(ids[2])?.payload).toMatchObject({ latitude: 38.72, longitude: -9.14 });
    expect(byId.get(ids[3])?.payload).toMatchObject({ replyId: 'track', title: 'Track order' });
    const conv = await Conversation.findOne().lean();
    expect(conv).toMatchObject({ status: 'open', channel: 'whatsapp', inboxId: inbox.id, unreadCount: 4 });
    expect((await Customer.findOne().lean())?.identityKeys).toEqual([`whatsapp|${ana}`]);
    expect(await EventLog.countDocuments({ type: 'message.received' })).toBe(4);
  });

  it('applies delivery statuses in order, with the provider error on failure', async () => {
    const { slug, inbox, phoneNumberId } = await orgWithInbox();
    const { ConversationMessage, Conversation, Customer } = tenantModels(slug);
    const customer = await Customer.create({
      name: 'Bo',
      identities: [{ channel: 'whatsapp', externalId: '15557654321', inboxId: inbox.id }],
      identityKeys: ['whatsapp|15557654321'],
    });
    const conv = await Conversation.create({ customerId: customer._id, channel: 'whatsapp', inboxId: inbox.id });
    const [a, b] = [wamid(), wamid()];
    await ConversationMessage.create([
      { conversationId: conv._id, direction: 'out', senderType: 'agent', content: 'one', providerMessageId: a, status: 'sent' },
      { conversationId: conv._id, direction: 'out', senderType: 'agent', content: 'two', providerMessageId: b, status: 'sent' },
    ]);
    // read arrives before delivered (out of order): the later status wins, delivered is stale.
    const statuses = [
      waStatus(a, 'read'),
      waStatus(a, 'delivered'),
      waStatus(b, 'failed', {
        errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Receiver is incapable' } }],
      }),
    ];
    expect(
      (await metaPost(metaRequest(inbox.publicId, waWebhook(phoneNumberId, { statuses })), params(inbox.publicId))).status,
    ).toBe(200);
    await eventually(
      async () => (await ConversationMessage.findOne({ providerMessageId: b }).lean())?.status === 'failed',
      'failed status',
    );
    await eventually(
      async () => (await ConversationMessage.findOne({ providerMessageId: a }).lean())?.status === 'read',
      'read status',
    );
    expect((await ConversationMessage.findOne({ providerMessageId: b }).lean())?.error).toMatchObject({
      code: '131026',
      message: 'Receiver is incapable',
    });
  });

  it('ingests Messenger and Instagram messaging events, skipping echoes', async () => {
    const { slug, inbox } = await orgWithInbox({ channel: 'messenger' });
    const mid = `m_${wamid()}`;
    const body = {
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: Date.now(),
          messaging: [
            {
              sender: { id: '6789' },
              recipient: { id: 'PAGE' },
              timestamp: Date.now(),
              message: { mid, text: 'hello from messenger' },
            },
            {
              sender: { id: 'PAGE' },
              recipient: { id: '6789' },
              timestamp: Date.now(),
              message: { mid: `${mid}-echo`, text: 'our reply', is_echo: true },
            },
          ],
        },
      ],
    };
    expect((await metaPost(metaRequest(inbox.publicId, body), params(inbox.publicId))).status).toBe(200);
    const { ConversationMessage } = tenantModels(slug);
    await eventually(async () => (await ConversationMessage.countDocuments()) === 1, 'messenger message');
    expect(await ConversationMessage.findOne().lean()).toMatchObject({ providerMessageId: mid, content: 'hello from messenger' });

    const ig = await orgWithInbox({ channel: 'instagram' });
    const igBody = {
      object: 'instagram',
      entry: [
        {
          id: 'IG',
          time: Date.now(),
          messaging: [
            {
              sender: { id: '9911' },
              recipient: { id: 'IG' },
              timestamp: Date.now(),
              message: { mid: `ig_${wamid()}`, attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }] },
            },
          ],
        },
      ],
    };
    expect((await metaPost(metaRequest(ig.inbox.publicId, igBody), params(ig.inbox.publicId))).status).toBe(200);
    await eventually(
      async () => (await tenantModels(ig.slug).ConversationMessage.countDocuments({ type: 'media' })) === 1,
      'instagram media',
    );
  });
});

describe('twilio webhooks', () => {
  const twilioInbox = () => orgWithInbox({ provider: 'twilio', channel: 'sms', meta: undefined, twilio: TWILIO });

  it('verifies X-Twilio-Signature over the URL and sorted params, then stores the SMS once', async () => {
    const { slug, inbox } = await twilioInbox();
    const sms = {
      MessageSid: `SM${wamid().slice(5, 37)}`,
      AccountSid: TWILIO.accountSid,
      From: '+15552223333',
      To: TWILIO.fromNumber,
      Body: 'Is the store open?',
      NumMedia: '0',
      SmsStatus: 'received',
    };
    expect((await twilioPost(twilioRequest(inbox.publicId, sms, { signature: null }), params(inbox.publicId))).status).toBe(401);
    expect(
      (await twilioPost(twilioRequest(inbox.publicId, sms, { authToken: 'another-token-0123456789' }), params(inbox.publicId)))
        .status,
    ).toBe(401);
    const ok = await twilioPost(twilioRequest(inbox.publicId, sms), params(inbox.publicId));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<Response>');
    expect((await twilioPost(twilioRequest(inbox.publicId, sms), params(inbox.publicId))).status).toBe(200); // redelivery
    const { ConversationMessage, Customer } = tenantModels(slug);
    await eventually(async () => (await ConversationMessage.countDocuments()) === 1, 'sms stored');
    await new Promise((r) => setTimeout(r, 300));
    expect(await ConversationMessage.countDocuments()).toBe(1);
    expect(await Customer.findOne().lean()).toMatchObject({ phone: '+15552223333', identityKeys: ['sms|+15552223333'] });

    // Media message and a status callback for an outbound message.
    const mms = {
      ...sms,
      MessageSid: `MM${wamid().slice(5, 37)}`,
      Body: '',
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/media/1',
      MediaContentType0: 'image/png',
    };
    expect((await twilioPost(twilioRequest(inbox.publicId, mms), params(inbox.publicId))).status).toBe(200);
    await eventually(async () => (await ConversationMessage.countDocuments({ type: 'media' })) === 1, 'mms stored');
  });
});

describe('suspended organisations', () => {
  it('stores their webhooks but processes them only after reactivation', async () => {
    const { slug, inbox, phoneNumberId } = await orgWithInbox();
    await platformModels().Organization.updateOne({ slug }, { $set: { status: 'suspended' } });
    const { invalidateOrg } = await import('@/server/tenancy/org-cache');
    invalidateOrg(slug);
    const body = waWebhook(phoneNumberId, { messages: [waText('15550009999', 'anyone there?')] });
    expect((await metaPost(metaRequest(inbox.publicId, body), params(inbox.publicId))).status).toBe(200);
    await eventually(
      async () => (await platformModels().WebhookOutbox.countDocuments({ orgSlug: slug, reason: 'org_inactive' })) === 1,
      'parked event',
    );
    expect(await tenantModels(slug).ConversationMessage.countDocuments()).toBe(0);

    await platformModels().Organization.updateOne({ slug }, { $set: { status: 'active' } });
    invalidateOrg(slug);
    const { drainOutbox } = await import('@/server/services/inbox/outbox');
    await eventually(
      async () => (await drainOutbox()) >= 0 && (await platformModels().WebhookOutbox.countDocuments({ orgSlug: slug })) === 0,
      'drained',
    );
    await eventually(
      async () => (await tenantModels(slug).ConversationMessage.countDocuments()) === 1,
      'processed after reactivation',
    );
  });
});

describe('outbox', () => {
  it("drains active organisations' events even behind a suspended organisation's larger backlog", async () => {
    const { toOutbox, drainOutbox } = await import('@/server/services/inbox/outbox');
    const suspended = await orgWithInbox({}, { status: 'suspended' });
    const active = await orgWithInbox();
    const item = (o: { slug: string; inbox: { id: string } }) => {
      const event = {
        kind: 'message' as const,
        channel: 'whatsapp' as const,
        providerMessageId: wamid(),
        from: { externalId: '15551110000' },
        timestamp: Date.now(),
        type: 'text' as const,
        text: 'x',
        attachments: [],
      };
      return { data: { slug: o.slug, inboxId: o.inbox.id, event }, dedupId: `m-${event.providerMessageId.replace(/\W/g, '')}` };
    };
    await toOutbox(suspended.slug, [item(suspended), item(suspended), item(suspended)], 'org_inactive');
    await toOutbox(active.slug, [item(active)], 'redis_unavailable');
    await toOutbox(active.slug, [item(active)], 'redis_unavailable');
    expect(await drainOutbox(2)).toBe(2);
    expect(await platformModels().WebhookOutbox.countDocuments({ orgSlug: suspended.slug })).toBe(3);
    await eventually(
      async () => (await tenantModels(active.slug).ConversationMessage.countDocuments()) === 2,
      'drained events ingested',
    );
  });
});

function signOther(body: unknown) {
  return metaRequest('x', body, { signature: undefined })
    .headers.get('x-hub-signature-256')!
    .replace(/.$/, (c) => (c === '0' ? '1' : '0'));
}
