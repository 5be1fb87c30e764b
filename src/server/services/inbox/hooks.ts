import { emitToOrg } from '../../realtime/emit';

/**
 * The seam between ingestion and assignment. Ingestion calls `onConversationReady` once a
 * conversation is new or reopened and its first message is stored. Until the assignment engine
 * registers itself (`setConversationReadyHandler` at worker start), the conversation is announced to
 * the whole organisation room, where every agent's workspace sees it as unassigned.
 */
export type ConversationReadyHandler = (
  slug: string,
  conversationId: string,
  reason: 'created' | 'reopened',
) => Promise<void> | void;

const announce: ConversationReadyHandler = (slug, conversationId, reason) => {
  emitToOrg(slug, 'inbox:conversation.ready', { conversationId, reason, cursor: conversationId });
};

let handler: ConversationReadyHandler = announce;

export function setConversationReadyHandler(next: ConversationReadyHandler | null): void {
  handler = next ?? announce;
}

export async function onConversationReady(
  slug: string,
  conversationId: string,
  reason: 'created' | 'reopened' = 'created',
): Promise<void> {
  await handler(slug, conversationId, reason);
}

/** Called after a conversation is resolved (the engine frees the agent's slot and serves the queue). */
export type ConversationResolvedHandler = (slug: string, conversationId: string, assigneeId: string | undefined) => Promise<void> | void;
let resolvedHandler: ConversationResolvedHandler = () => undefined;

export function setConversationResolvedHandler(next: ConversationResolvedHandler | null): void {
  resolvedHandler = next ?? (() => undefined);
}

export async function onConversationResolved(slug: string, conversationId: string, assigneeId: string | undefined): Promise<void> {
  await resolvedHandler(slug, conversationId, assigneeId);
}
