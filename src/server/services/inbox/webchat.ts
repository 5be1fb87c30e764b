import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { storeEvents } from '../../webhooks/store';
import { identityKey } from './customers';
import type { ResolvedInbox } from './inboxes';
import { mintVisitorToken, newVisitorId, verifyVisitorToken, type Visitor } from './visitor-token';

/**
 * The web-chat widget's server side. A visitor message takes the same path as a provider webhook
 * (durably queued or in the outbox before the 200, deduplicated by the widget's own message id), so
 * the worker pipeline treats every channel alike.
 */
export const sessionInput = z.strictObject({
  token: z.string().max(2048).optional(),
  name: z.string().trim().max(100).optional(),
  email: z.string().trim().email().max(200).optional(),
});
export const visitorMessageInput = z.strictObject({
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  text: z.string().trim().min(1).max(4000),
  name: z.string().trim().max(100).optional(),
  email: z.string().trim().email().max(200).optional(),
});

/** Resume the visitor of a stored token (same inbox only) or start a new one; returns recent history. */
export async function startVisitorSession(inbox: ResolvedInbox, raw: unknown) {
  const input = sessionInput.parse(raw);
  let visitor: Visitor | undefined;
  if (input.token) {
    visitor = await verifyVisitorToken(input.token).catch(() => undefined);
    if (visitor && (visitor.slug !== inbox.slug || visitor.inboxPublicId !== inbox.publicId)) visitor = undefined;
  }
  visitor ??= { visitorId: newVisitorId(), slug: inbox.slug, inboxPublicId: inbox.publicId };
  const token = await mintVisitorToken(visitor); // refreshed on every visit: a regular visitor never expires
  return {
    token,
    visitorId: visitor.visitorId,
    greeting: inbox.webchat.greeting ?? null,
    messages: await visitorHistory(inbox, visitor.visitorId),
  };
}

export async function visitorHistory(inbox: ResolvedInbox, visitorId: string) {
  const { Customer, Conversation, ConversationMessage } = tenantModels(inbox.slug);
  const customer = await Customer.findOne({ identityKeys: { $eq: identityKey('webchat', visitorId) } })
    .select({ _id: 1 })
    .lean();
  if (!customer) return [];
  const conv = await Conversation.findOne({ customerId: customer._id, inboxId: { $eq: inbox.id } })
    .sort({ updatedAt: -1 })
    .select({ _id: 1 })
    .lean();
  if (!conv) return [];
  const msgs = await ConversationMessage.find({ conversationId: conv._id, type: { $ne: 'note' } })
    .sort({ createdAt: -1 })
    .limit(50)
    .lean();
  return msgs
    .reverse()
    .map((m) => ({
      id: String(m._id),
      direction: m.direction,
      text: m.content ?? '',
      at: (m.sentAt ?? m.createdAt).toISOString(),
      status: m.status,
    }));
}

export async function acceptVisitorMessage(inbox: ResolvedInbox, token: string | null, raw: unknown) {
  const visitor = await verifyVisitorToken(token?.replace(/^Bearer /, ''));
  if (visitor.slug !== inbox.slug || visitor.inboxPublicId !== inbox.publicId)
    throw new AppError('FORBIDDEN', 'This visitor belongs to another inbox');
  const input = visitorMessageInput.parse(raw);
  await storeEvents(inbox.slug, inbox.id, [
    {
      kind: 'message',
      channel: 'webchat',
      providerMessageId: `wc-${visitor.visitorId}-${input.clientMessageId}`,
      from: { externalId: visitor.visitorId, name: input.name, email: input.email },
      timestamp: Date.now(),
      type: 'text',
      text: input.text,
      attachments: [],
    },
  ]);
  return { ok: true as const };
}
