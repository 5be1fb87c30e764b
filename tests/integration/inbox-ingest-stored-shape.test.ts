import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { closeEmitter } from '@/server/realtime/emit';
import type { InboundMessage } from '@/server/services/inbox/events';
import { setConversationReadyHandler } from '@/server/services/inbox/hooks';
import { ingestEvent } from '@/server/services/inbox/ingest';
import { tenantModels } from '@/server/tenancy/connections';
import { orgWithInbox, wamid } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The ingest hot path inserts plain documents (cast, defaults and timestamps applied without
 * hydrating Mongoose documents). What it stores must be exactly what a hydrated insert stored:
 * every reader (workspace, search, status updates) depends on those fields being there.
 */
beforeAll(async () => {
  await startTenancy();
  setConversationReadyHandler(() => undefined); // no assignment engine in this test
});
afterAll(async () => {
  setConversationReadyHandler(null);
  await closeEmitter();
  await stopTenancy();
});

const raw = (slug: string, collection: string, filter: Record<string, unknown>) =>
  tenantModels(slug).Conversation.db.collection(collection).findOne(filter);
const shape = (doc: Record<string, unknown> | null) =>
  Object.fromEntries(Object.entries(doc ?? {}).map(([k, v]) => [k, v instanceof Types.ObjectId ? 'ObjectId' : v instanceof Date ? 'Date' : v]));

describe('ingest stored documents', () => {
  it('stores a message and its event log exactly as a hydrated Mongoose insert would', async () => {
    const { slug, inbox } = await orgWithInbox();
    const at = Date.now() - 5_000;
    const event: InboundMessage = {
      kind: 'message',
      channel: 'whatsapp',
      providerMessageId: wamid(),
      from: { externalId: '15551230000', phone: '+15551230000', name: 'Ana' },
      timestamp: at,
      type: 'location',
      attachments: [],
      payload: { latitude: 1.5, longitude: 2.5, name: 'Shop' },
    };
    const res = await ingestEvent({ slug, inboxId: inbox.id, event });
    const stored = await raw(slug, 'conversation_messages', { providerMessageId: event.providerMessageId });

    // The same fields through the hydrating path, for comparison.
    const { ConversationMessage, EventLog } = tenantModels(slug);
    const viaMongoose = new Types.ObjectId();
    await ConversationMessage.insertMany([
      {
        _id: viaMongoose,
        conversationId: String(res.conversationId),
        direction: 'in',
        senderType: 'customer',
        type: 'location',
        attachments: [],
        payload: event.payload,
        providerMessageId: 'hydrated-copy',
        sentAt: new Date(at),
        status: 'received',
        applied: true,
      },
    ]);
    const expected = await raw(slug, 'conversation_messages', { _id: viaMongoose });
    expect(shape(stored)).toEqual({ ...shape(expected), providerMessageId: event.providerMessageId });
    expect(stored!.sentAt).toEqual(new Date(at));
    expect(stored!.conversationId).toEqual(new Types.ObjectId(String(res.conversationId)));

    const log = await raw(slug, 'event_log', { type: 'message.received', 'data.messageId': res.messageId });
    const hydratedLog = await EventLog.insertMany([{ ...log, _id: new Types.ObjectId(), type: 'hydrated', at: undefined }]);
    const expectedLog = await raw(slug, 'event_log', { _id: hydratedLog[0]!._id });
    expect(Object.keys(log!).sort()).toEqual(Object.keys(expectedLog!).sort());
    expect(log!.at).toBeInstanceOf(Date);
    expect(log!.conversationId).toBeInstanceOf(Types.ObjectId);
  });
});
