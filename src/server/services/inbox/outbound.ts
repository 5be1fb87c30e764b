import { Types } from 'mongoose';
import { z } from 'zod';
import { AppError } from '../../errors';
import { enqueue } from '../../queues/enqueue';
import { emitToOrg } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { sendJob } from '../../queues/jobs/inbox';
import { cancelNoAnswer } from '../assignment/no-answer';
import { templateReply } from '../workspace/templates-send';
import { checkWindow } from './window';

/**
 * Agent replies: checked against the customer-service window, stored as `queued`, then sent by the
 * outbound queue (see delivery.ts). The message id is the job id, so a double click or a retried
 * request never sends twice.
 */
const objectId = z.string().regex(/^[0-9a-f]{24}$/);
export const replyInput = z
  .strictObject({
    conversationId: objectId,
    text: z.string().trim().min(1).max(4096).optional(),
    template: z.strictObject({ templateId: objectId, variables: z.array(z.string().max(1024)).max(20).default([]) }).optional(),
  })
  .refine((v) => Boolean(v.text) !== Boolean(v.template), { message: 'Send either a text or a template' });
export type ReplyInput = z.input<typeof replyInput>;

export async function queueReply(slug: string, senderId: string, raw: ReplyInput) {
  const input = replyInput.parse(raw);
  const { Conversation, ConversationMessage, EventLog } = tenantModels(slug);
  const conv = await Conversation.findById(input.conversationId).lean();
  if (!conv) throw new AppError('NOT_FOUND', 'Conversation not found');

  let content = input.text;
  let payload: Record<string, unknown> | undefined;
  if (input.template) {
    ({ content, payload } = await templateReply(slug, conv, input.template.templateId, input.template.variables));
  } else {
    const window = checkWindow(conv.channel, conv.lastCustomerMessageAt ?? undefined);
    if (!window.open) throw new AppError('PRECONDITION_FAILED', window.reason);
    if (window.humanAgentTag) payload = { humanAgentTag: true };
  }

  const now = new Date();
  const msg = await ConversationMessage.create({
    conversationId: conv._id,
    direction: 'out',
    senderType: 'agent',
    senderId: Types.ObjectId.isValid(senderId) ? new Types.ObjectId(senderId) : undefined,
    type: input.template ? 'template' : 'text',
    content,
    payload,
    status: 'queued',
    statusHistory: [{ status: 'queued', at: now }],
  });
  const messageId = String(msg._id);
  await Conversation.updateOne(
    { _id: conv._id },
    {
      $set: { lastMessageAt: now, lastMessagePreview: (content ?? '').slice(0, 140), unreadCount: 0 },
      $min: { firstResponseAt: now },
    },
  );
  // Answered: the no-answer deadline is off (best effort; the sweep checks for a reply anyway).
  await cancelNoAnswer(slug, String(conv._id)).catch(() => undefined);
  await EventLog.create({
    type: 'message.queued',
    conversationId: conv._id,
    customerId: conv.customerId,
    actorType: 'user',
    actorId: senderId,
    data: { messageId },
  });
  await enqueue(sendJob, { slug, messageId }, { jobId: `send-${messageId}` });
  emitToOrg(slug, 'inbox:message.created', { conversationId: String(conv._id), messageId, direction: 'out', cursor: messageId });
  return { messageId, status: 'queued' as const };
}
