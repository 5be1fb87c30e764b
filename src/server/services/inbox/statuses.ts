import { AppError } from '../../errors';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import type { StatusEvent } from './events';

/**
 * Delivery statuses of outbound messages. Statuses only move forward (sent < delivered < read;
 * failed from anything before read), whatever order the provider delivers them in. A status for a
 * message the sender has not recorded yet (the provider answered the webhook before our send job
 * stored its id) is retried by the queue.
 */
type Stored = 'queued' | 'sent' | 'delivered';
const BEFORE: Record<StatusEvent['status'], Stored[]> = {
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  read: ['queued', 'sent', 'delivered'],
  failed: ['queued', 'sent', 'delivered'],
};

export async function applyStatus(slug: string, ev: StatusEvent) {
  const { ConversationMessage, EventLog } = tenantModels(slug);
  const at = new Date(ev.timestamp > 0 ? ev.timestamp : Date.now());
  const msg = await ConversationMessage.findOneAndUpdate(
    { providerMessageId: { $eq: ev.providerMessageId }, direction: 'out', status: { $in: BEFORE[ev.status] } },
    {
      $set: { status: ev.status, ...(ev.error ? { error: ev.error } : {}) },
      $push: { statusHistory: { status: ev.status, at } },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!msg) {
    const known = await ConversationMessage.exists({ providerMessageId: { $eq: ev.providerMessageId } });
    if (!known) throw new AppError('NOT_FOUND', `No outbound message ${ev.providerMessageId} yet`);
    return { stale: true }; // already at or past this status (a duplicate or out-of-order delivery)
  }
  await EventLog.create({
    type: `message.${ev.status}`,
    conversationId: msg.conversationId,
    actorType: 'provider',
    data: { messageId: String(msg._id), error: ev.error },
  });
  emitToOrg(slug, 'inbox:message.status', {
    conversationId: String(msg.conversationId),
    messageId: String(msg._id),
    status: ev.status,
    error: ev.error,
    cursor: String(msg._id),
  });
  return { messageId: String(msg._id), status: ev.status };
}
