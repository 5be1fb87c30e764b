import type { Types } from 'mongoose';
import type { ConversationChannel } from '../../db/models/tenant';
import { AppError } from '../../errors';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { onConversationResolved } from './hooks';

/**
 * Conversation lifecycle. One live (not resolved) conversation per customer and inbox, guarded by
 * the unique `activeKey`. Reopen rules: a customer message reopens a snoozed or pending conversation,
 * and a conversation resolved less than REOPEN_WINDOW_MS ago; older ones stay closed and a new
 * conversation starts.
 */
export const REOPEN_WINDOW_MS = 7 * 24 * 3600 * 1000;
type Status = 'open' | 'pending' | 'snoozed' | 'resolved';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export async function conversationForInbound(
  slug: string,
  o: { customerId: Types.ObjectId; inboxId: string; channel: ConversationChannel },
) {
  const { Conversation } = tenantModels(slug);
  const activeKey = `${String(o.customerId)}|${o.inboxId}`;
  const live = await Conversation.findOne({ activeKey: { $eq: activeKey } }).lean();
  if (live) {
    if (live.status === 'open') return { conversation: live, created: false, reopened: false };
    await Conversation.updateOne({ _id: live._id }, { $set: { status: 'open' }, $unset: { snoozedUntil: '' } });
    return { conversation: { ...live, status: 'open' as const }, created: false, reopened: true };
  }
  const recent = await Conversation.findOne({
    customerId: o.customerId,
    inboxId: { $eq: o.inboxId },
    status: 'resolved',
    resolvedAt: { $gte: new Date(Date.now() - REOPEN_WINDOW_MS) },
  })
    .sort({ resolvedAt: -1 })
    .lean();
  try {
    if (recent) {
      const res = await Conversation.updateOne(
        { _id: recent._id, status: 'resolved' },
        { $set: { status: 'open', activeKey }, $unset: { resolvedAt: '' } },
      );
      if (res.modifiedCount === 1)
        return { conversation: { ...recent, status: 'open' as const, activeKey }, created: false, reopened: true };
    } else {
      const doc = await Conversation.create({
        customerId: o.customerId,
        inboxId: o.inboxId,
        channel: o.channel,
        activeKey,
        status: 'open',
      });
      return { conversation: doc.toObject(), created: true, reopened: false };
    }
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // Another job opened it concurrently.
  const winner = await Conversation.findOne({ activeKey: { $eq: activeKey } }).lean();
  if (!winner) throw new AppError('CONFLICT', 'Conversation changed concurrently; retry');
  return { conversation: winner, created: false, reopened: false };
}

/** Status changes from the workspace (resolve, snooze, pending, reopen), logged and broadcast. */
export async function setConversationStatus(
  slug: string,
  conversationId: string,
  status: Status,
  opts: { actorId?: string; snoozedUntil?: Date } = {},
) {
  const { Conversation, EventLog } = tenantModels(slug);
  const conv = await Conversation.findById(conversationId).lean();
  if (!conv) throw new AppError('NOT_FOUND', 'Conversation not found');
  const update =
    status === 'resolved'
      ? { $set: { status, resolvedAt: new Date() }, $unset: { activeKey: '', snoozedUntil: '' } }
      : {
          $set: {
            status,
            activeKey: `${String(conv.customerId)}|${conv.inboxId}`,
            ...(status === 'snoozed' ? { snoozedUntil: opts.snoozedUntil } : {}),
          },
          $unset: status === 'snoozed' ? {} : { snoozedUntil: '' },
        };
  try {
    await Conversation.updateOne({ _id: conv._id }, update);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'This customer already has another open conversation in this inbox');
    throw err;
  }
  await EventLog.create({
    type: 'conversation.status',
    conversationId: conv._id,
    customerId: conv.customerId,
    actorType: opts.actorId ? 'user' : 'system',
    actorId: opts.actorId,
    data: { from: conv.status, to: status },
  });
  emitToOrg(slug, 'inbox:conversation.updated', { conversationId, status, cursor: conversationId });
  if (status === 'resolved') await onConversationResolved(slug, conversationId, conv.assigneeId ? String(conv.assigneeId) : undefined);
}
