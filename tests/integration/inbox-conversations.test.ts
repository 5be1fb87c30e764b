import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { setConversationStatus, REOPEN_WINDOW_MS } from '@/server/services/inbox/conversations';
import type { InboundMessage } from '@/server/services/inbox/events';
import { setConversationReadyHandler } from '@/server/services/inbox/hooks';
import { ingestEvent } from '@/server/services/inbox/ingest';
import { createInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { orgWithInbox, TWILIO, wamid } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** The ingest service directly: identity merging, reopen rules, the assignment hook, idempotency. */
const ready: Array<[string, string]> = [];
beforeAll(async () => {
  await startTenancy();
  setConversationReadyHandler((_slug, id, reason) => void ready.push([id, reason]));
});
afterAll(async () => {
  setConversationReadyHandler(null);
  await closeEmitter();
  await stopTenancy();
});

const text = (channel: InboundMessage['channel'], from: InboundMessage['from'], body = 'hello'): InboundMessage => ({
  kind: 'message',
  channel,
  providerMessageId: wamid(),
  from,
  timestamp: Date.now(),
  type: 'text',
  text: body,
  attachments: [],
});

describe('ingest', () => {
  it('merges the same phone number across WhatsApp and SMS into one customer', async () => {
    const { slug, inbox } = await orgWithInbox();
    const sms = await createInbox(slug, { name: 'SMS', provider: 'twilio', channel: 'sms', twilio: TWILIO });
    await ingestEvent({
      slug,
      inboxId: inbox.id,
      event: text('whatsapp', { externalId: '15557770000', phone: '+15557770000', name: 'Ana' }),
    });
    await ingestEvent({ slug, inboxId: sms.id, event: text('sms', { externalId: '+15557770000', phone: '+15557770000' }) });
    const customers = await tenantModels(slug).Customer.find().lean();
    expect(customers).toHaveLength(1);
    expect(customers[0]!.identityKeys.sort()).toEqual(['sms|+15557770000', 'whatsapp|15557770000']);
    expect(await tenantModels(slug).Conversation.countDocuments()).toBe(2); // one per inbox
  });

  it('reopens snoozed and recently resolved conversations, starts a new one after the reopen window', async () => {
    const { slug, inbox } = await orgWithInbox();
    const from = { externalId: '15558880000', phone: '+15558880000' };
    const first = await ingestEvent({ slug, inboxId: inbox.id, event: text('whatsapp', from) });
    const id = String(first.conversationId);
    expect(ready.at(-1)).toEqual([id, 'created']);

    await setConversationStatus(slug, id, 'snoozed', { snoozedUntil: new Date(Date.now() + 3600_000) });
    const second = await ingestEvent({ slug, inboxId: inbox.id, event: text('whatsapp', from) });
    expect(second).toMatchObject({ conversationId: id, reopened: true });
    expect((await tenantModels(slug).Conversation.findById(id).lean())?.status).toBe('open');

    await setConversationStatus(slug, id, 'resolved');
    const third = await ingestEvent({ slug, inboxId: inbox.id, event: text('whatsapp', from) });
    expect(third).toMatchObject({ conversationId: id, reopened: true });
    expect(ready.at(-1)).toEqual([id, 'reopened']);

    await setConversationStatus(slug, id, 'resolved');
    await tenantModels(slug).Conversation.updateOne(
      { _id: id },
      { $set: { resolvedAt: new Date(Date.now() - REOPEN_WINDOW_MS - 1000) } },
    );
    const fourth = await ingestEvent({ slug, inboxId: inbox.id, event: text('whatsapp', from) });
    expect(fourth).toMatchObject({ created: true });
    expect(String(fourth.conversationId)).not.toBe(id);
    await expect(setConversationStatus(slug, id, 'open')).rejects.toMatchObject({ code: 'CONFLICT' }); // one live conversation per customer and inbox
  });

  it('is idempotent: the same event twice, even concurrently, stores one message and counts it once', async () => {
    const { slug, inbox } = await orgWithInbox();
    const event = text('whatsapp', { externalId: '15559990000', phone: '+15559990000' });
    const results = await Promise.all([1, 2, 3].map(() => ingestEvent({ slug, inboxId: inbox.id, event })));
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
    await ingestEvent({ slug, inboxId: inbox.id, event });
    const m = tenantModels(slug);
    expect(await m.ConversationMessage.countDocuments()).toBe(1);
    expect(await m.Customer.countDocuments()).toBe(1);
    expect((await m.Conversation.findOne().lean())?.unreadCount).toBe(1);
    expect(await m.EventLog.countDocuments({ type: 'message.received' })).toBe(1);
  });

  it('finishes an attempt that stored the message but died before applying it', async () => {
    const { slug, inbox } = await orgWithInbox();
    const from = { externalId: '15556660000', phone: '+15556660000' };
    const first = await ingestEvent({ slug, inboxId: inbox.id, event: text('whatsapp', from) });
    const conversationId = String(first.conversationId);
    const event = text('whatsapp', from, 'second');
    const m = tenantModels(slug);
    // What a worker killed between the insert and the counters leaves behind.
    await m.ConversationMessage.create({
      conversationId,
      direction: 'in',
      senderType: 'customer',
      content: 'second',
      providerMessageId: event.providerMessageId,
    });
    await m.Conversation.updateOne({ _id: conversationId }, { $set: { status: 'pending' } });
    const again = await ingestEvent({ slug, inboxId: inbox.id, event });
    expect(again).toMatchObject({ conversationId });
    expect(await m.ConversationMessage.findOne({ providerMessageId: event.providerMessageId }).lean()).toMatchObject({
      applied: true,
    });
    expect((await m.Conversation.findById(conversationId).lean())?.unreadCount).toBe(2);
    expect(await m.ConversationMessage.countDocuments()).toBe(2);
  });
});
