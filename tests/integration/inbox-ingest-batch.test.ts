import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { setConversationStatus } from '@/server/services/inbox/conversations';
import type { InboundMessage } from '@/server/services/inbox/events';
import { setConversationReadyHandler } from '@/server/services/inbox/hooks';
import { ingestEvent } from '@/server/services/inbox/ingest';
import { tenantModels } from '@/server/tenancy/connections';
import { orgWithInbox, wamid } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The worker runs many ingest jobs at once and their database steps are batched per loop turn
 * (services/inbox/ingest-writes.ts). Many messages arriving together, for several conversations,
 * with copies of the same event among them, must end exactly as if they had come one by one.
 */
const ready: string[] = [];
beforeAll(async () => {
  await startTenancy();
  setConversationReadyHandler((_slug, id) => void ready.push(id));
});
afterAll(async () => {
  setConversationReadyHandler(null);
  await closeEmitter();
  await stopTenancy();
});

const text = (from: string, body: string, timestamp: number, id = wamid()): InboundMessage => ({
  kind: 'message',
  channel: 'whatsapp',
  providerMessageId: id,
  from: { externalId: from, phone: `+${from}` },
  timestamp,
  type: 'text',
  text: body,
  attachments: [],
});

describe('ingest under concurrency', () => {
  it('stores a burst for several conversations once each, with counters, previews and event log right', async () => {
    const { slug, inbox } = await orgWithInbox();
    const senders = ['15551110001', '15551110002', '15551110003'];
    const t0 = Date.now() - 60_000;
    // Ten messages per sender, timestamps in order; sent all at once and in shuffled order.
    const events = senders.flatMap((s) => Array.from({ length: 10 }, (_, i) => text(s, `${s} #${i}`, t0 + i * 1000)));
    const replays = events.slice(0, 5); // provider redeliveries inside the same burst
    const burst = [...events, ...replays].sort(() => Math.random() - 0.5);
    const results = await Promise.all(burst.map((event) => ingestEvent({ slug, inboxId: inbox.id, event })));

    expect(results.filter((r) => r.duplicate)).toHaveLength(5);
    const m = tenantModels(slug);
    expect(await m.ConversationMessage.countDocuments()).toBe(30);
    expect(await m.ConversationMessage.countDocuments({ applied: true })).toBe(30);
    expect(await m.Customer.countDocuments()).toBe(3);
    const conversations = await m.Conversation.find().lean();
    expect(conversations).toHaveLength(3);
    expect(ready).toEqual(expect.arrayContaining(conversations.map((c) => String(c._id))));
    for (const c of conversations) {
      expect(c.unreadCount).toBe(10);
      expect(c.lastMessagePreview).toMatch(/#9$/); // the newest, whatever order the jobs ran in
      expect(c.lastMessageAt?.getTime()).toBe(t0 + 9000);
    }
    expect(await m.EventLog.countDocuments({ type: 'message.received' })).toBe(30);
    expect(await m.EventLog.countDocuments({ type: 'conversation.created' })).toBe(3);

    // A later burst after one conversation was resolved: that customer gets it reopened, not a ghost.
    const resolved = conversations[0]!;
    await setConversationStatus(slug, String(resolved._id), 'resolved');
    const from = String((await m.Customer.findById(resolved.customerId).lean())!.identities[0]!.externalId);
    const later = await Promise.all(
      [text(from, 'back again', Date.now()), text(senders.find((s) => s !== from)!, 'more', Date.now())].map((event) =>
        ingestEvent({ slug, inboxId: inbox.id, event }),
      ),
    );
    expect(later[0]).toMatchObject({ conversationId: String(resolved._id), reopened: true });
    expect((await m.Conversation.findById(resolved._id).lean())?.status).toBe('open');
    expect(await m.Conversation.countDocuments()).toBe(3);
  });
});
