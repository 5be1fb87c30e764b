import { z } from 'zod';
import { asSubject, type AppAbility } from '../../authz';
import { AppError } from '../../errors';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { getConversation } from '../conversations/scoped';
import { checkWindow } from '../inbox/window';
import { objectIdInput, oid, plain } from '../shared/ids';

/**
 * The open conversation as the agent sees it: its messages (notes included, they never leave the
 * workspace: the outbound queue only takes what `queueReply` puts there, and the widget skips them),
 * and the 24-hour window state so the composer can say so before the agent types.
 */
export const messagesInput = z.strictObject({
  conversationId: objectIdInput,
  limit: z.number().int().min(1).max(500).default(200),
});
export const noteInput = z.strictObject({ conversationId: objectIdInput, text: z.string().trim().min(1).max(4096) });

const FIELDS = {
  direction: 1,
  senderType: 1,
  senderId: 1,
  type: 1,
  content: 1,
  attachments: 1,
  payload: 1,
  status: 1,
  error: 1,
  createdAt: 1,
};

export async function conversationMessages(slug: string, ability: AppAbility, input: z.infer<typeof messagesInput>) {
  const conv = await getConversation(slug, ability, input.conversationId);
  const { ConversationMessage, Conversation } = tenantModels(slug);
  const [rows, full] = await Promise.all([
    ConversationMessage.find({ conversationId: oid(input.conversationId) })
      .select(FIELDS)
      .sort({ createdAt: -1, _id: -1 })
      .limit(input.limit)
      .lean(),
    Conversation.findById(input.conversationId).select({ lastCustomerMessageAt: 1 }).lean(),
  ]);
  const window = checkWindow(conv.channel, full?.lastCustomerMessageAt ?? undefined);
  return {
    messages: rows.reverse().map((m) => ({ ...plain(m), id: String(m._id) })),
    window: window.open
      ? { open: true as const, closesAt: windowCloses(conv.channel, full?.lastCustomerMessageAt) }
      : { open: false as const, reason: window.reason },
  };
}

function windowCloses(channel: string, last: Date | null | undefined): string | null {
  if (!last || channel === 'sms' || channel === 'webchat') return null;
  return new Date(last.getTime() + 24 * 3600 * 1000).toISOString();
}

/** An internal note: stored with the conversation, shown to colleagues, never sent. */
export async function addNote(slug: string, ability: AppAbility, userId: string, input: z.infer<typeof noteInput>) {
  const conv = await getConversation(slug, ability, input.conversationId);
  if (!ability.can('create', asSubject('ConversationMessage', { conversationId: conv.id })))
    throw new AppError('FORBIDDEN', 'Not allowed to add notes here');
  const { ConversationMessage } = tenantModels(slug);
  const note = await ConversationMessage.create({
    conversationId: oid(input.conversationId),
    direction: 'out',
    senderType: 'agent',
    senderId: oid(userId),
    type: 'note',
    content: input.text,
    status: 'received',
  });
  emitToOrg(slug, 'inbox:message.created', {
    conversationId: input.conversationId,
    messageId: String(note._id),
    direction: 'note',
    cursor: String(note._id),
  });
  return { id: String(note._id) };
}
