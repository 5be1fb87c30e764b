import type { Types } from 'mongoose';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { conversationForInbound } from './conversations';
import { customerForInbound } from './customers';
import { eventDedupId, type InboundMessage, type IngestPayload } from './events';
import { onConversationReady } from './hooks';
import { applyMessage, findLiveConversation, findStoredMessage, insertMessage, newObjectId } from './ingest-writes';
import { queueMediaDownload } from './media-job';
import { toOutbox } from './outbox';
import { applyStatus } from './statuses';

/**
 * The ingest job's service: one provider-neutral event -> database, event log, live events.
 * Idempotent, because delivery is at least once (provider retries, the outbox, a worker killed in
 * the middle): the unique providerMessageId decides whether a message is new, and the `applied`
 * flag whether its conversation counters and events were done. The database steps are batched
 * across the jobs this process runs at the same time (ingest-writes.ts).
 */
export async function ingestEvent(payload: IngestPayload): Promise<Record<string, unknown>> {
  const org = await loadOrg(payload.slug);
  if (!org) return { skipped: 'organisation deleted' };
  if (org.status !== 'active') {
    // Nothing a customer sent is lost: park it until the organisation is reactivated.
    await toOutbox(payload.slug, [{ data: payload, dedupId: eventDedupId(payload.event) }], 'org_inactive');
    return { parked: org.status };
  }
  const event = payload.event;
  if (event.kind === 'status') return applyStatus(payload.slug, event);
  return ingestMessage(payload.slug, payload.inboxId, event);
}

function preview(m: InboundMessage): string {
  if (m.text) return m.text.slice(0, 140);
  if (m.type === 'media') return `[${m.attachments[0]?.kind ?? 'attachment'}]`;
  return `[${m.type}]`;
}

/** The conversation a new message goes to: the live open one (batched read), else the full rules. */
async function conversationFor(slug: string, inboxId: string, m: InboundMessage, customerId: Types.ObjectId) {
  const live = await findLiveConversation(slug, `${String(customerId)}|${inboxId}`);
  if (live?.status === 'open') return { conversation: live, created: false, reopened: false };
  return conversationForInbound(slug, { customerId, inboxId, channel: m.channel });
}

async function ingestMessage(slug: string, inboxId: string, m: InboundMessage) {
  const existing = await findStoredMessage(slug, m.providerMessageId);
  if (existing?.applied) return { duplicate: true };
  // Stored by an attempt that died before applying it: finish that attempt, in its own conversation.
  const resumed = existing && (await tenantModels(slug).Conversation.findById(existing.conversationId).lean());
  const { customer, created: newCustomer } = resumed
    ? { customer: { _id: resumed.customerId }, created: false }
    : await customerForInbound(slug, inboxId, m.channel, m.from);
  const { conversation, created, reopened } = resumed
    ? { conversation: resumed, created: false, reopened: false }
    : await conversationFor(slug, inboxId, m, customer._id);
  const at = new Date(m.timestamp > 0 ? m.timestamp : Date.now());

  let messageId = existing?._id;
  if (!messageId) {
    messageId = newObjectId();
    const stored = await insertMessage(slug, {
      _id: messageId,
      conversationId: conversation._id,
      direction: 'in',
      senderType: 'customer',
      type: m.type,
      content: m.text,
      attachments: m.attachments,
      payload: m.payload,
      providerMessageId: m.providerMessageId,
      sentAt: at,
      status: 'received',
    });
    if (stored === 'duplicate') return { duplicate: true }; // a concurrent copy of the same event is applying it
  }

  const base = { conversationId: conversation._id, customerId: customer._id, actorType: 'customer', actorId: m.from.externalId };
  const log = [
    ...(newCustomer ? [{ ...base, type: 'customer.created', data: { channel: m.channel } }] : []),
    ...(created ? [{ ...base, type: 'conversation.created', data: { channel: m.channel, inboxId } }] : []),
    ...(reopened ? [{ ...base, type: 'conversation.reopened', data: { channel: m.channel } }] : []),
    {
      ...base,
      type: 'message.received',
      data: { messageId: String(messageId), providerMessageId: m.providerMessageId, type: m.type },
    },
  ];
  // Before `applied`: a worker killed here retries this step; the job id dedups the second enqueue.
  if (m.attachments.length) await queueMediaDownload(slug, String(messageId));
  await applyMessage(slug, { messageId, conversationId: conversation._id, at, preview: preview(m), log });

  const conversationId = String(conversation._id);
  emitToOrg(slug, 'inbox:message.created', {
    conversationId,
    messageId: String(messageId),
    direction: 'in',
    cursor: String(messageId),
  });
  if (created || reopened) await onConversationReady(slug, conversationId, created ? 'created' : 'reopened');
  return { messageId: String(messageId), conversationId, created, reopened };
}
