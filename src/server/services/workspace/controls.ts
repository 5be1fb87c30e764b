import { z } from 'zod';
import { asSubject, type AppAbility } from '../../authz';
import { CONVERSATION_STATUSES, PRIORITIES } from '../../db/models/tenant';
import { AppError } from '../../errors';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { getConversation } from '../conversations/scoped';
import { setConversationStatus } from '../inbox/conversations';
import { objectIdInput, oid } from '../shared/ids';

/** Status, priority and read state from the workspace; each needs `update` on that conversation. */
export const statusInput = z.strictObject({
  conversationId: objectIdInput,
  status: z.enum(CONVERSATION_STATUSES),
  snoozeMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .optional(),
});
export const priorityInput = z.strictObject({ conversationId: objectIdInput, priority: z.enum(PRIORITIES) });
export const readInput = z.strictObject({ conversationId: objectIdInput });

async function updatable(slug: string, ability: AppAbility, id: string) {
  const conv = await getConversation(slug, ability, id);
  if (!ability.can('update', asSubject('Conversation', conv)))
    throw new AppError('FORBIDDEN', 'Not allowed to change this conversation');
  return conv;
}

export async function changeStatus(slug: string, ability: AppAbility, userId: string, input: z.infer<typeof statusInput>) {
  await updatable(slug, ability, input.conversationId);
  const snoozedUntil = input.status === 'snoozed' ? new Date(Date.now() + (input.snoozeMinutes ?? 60) * 60_000) : undefined;
  await setConversationStatus(slug, input.conversationId, input.status, { actorId: userId, snoozedUntil });
  return { id: input.conversationId, status: input.status };
}

export async function changePriority(slug: string, ability: AppAbility, input: z.infer<typeof priorityInput>) {
  const conv = await updatable(slug, ability, input.conversationId);
  await tenantModels(slug).Conversation.updateOne({ _id: oid(input.conversationId) }, { $set: { priority: input.priority } });
  emitToOrg(slug, 'inbox:conversation.updated', {
    conversationId: input.conversationId,
    status: conv.status,
    cursor: input.conversationId,
  });
  return { id: input.conversationId, priority: input.priority };
}

/** Opening a conversation reads it: its unread counter drops to zero (only the viewer's scope). */
export async function markRead(slug: string, ability: AppAbility, input: z.infer<typeof readInput>) {
  const conv = await getConversation(slug, ability, input.conversationId);
  const res = await tenantModels(slug).Conversation.updateOne(
    { _id: oid(input.conversationId), unreadCount: { $gt: 0 } },
    { $set: { unreadCount: 0 } },
  );
  if (res.modifiedCount)
    emitToOrg(slug, 'inbox:conversation.updated', {
      conversationId: input.conversationId,
      status: conv.status,
      cursor: input.conversationId,
    });
  return { id: input.conversationId };
}
