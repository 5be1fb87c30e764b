import { UnrecoverableError } from 'bullmq';
import { emitToOrg, emitToVisitor } from '../../realtime/emit';
import { tenantModels } from '../../tenancy/connections';
import { sendGraphMessage } from '../../providers/graph';
import { ProviderError } from '../../providers/provider-error';
import { sendTwilioMessage } from '../../providers/twilio';
import { inboxById, type ResolvedInbox } from './inboxes';

/**
 * The outbound job's service: one queued message -> the provider's API. Retryable answers (429,
 * Meta throttling codes, 5xx, network) are rethrown for the queue's backoff (which honours
 * Retry-After); permanent ones, and the last attempt, mark the message failed with the provider's
 * own error. Only a `queued` message is sent, so a retried job after success sends nothing.
 */
export interface AttemptInfo {
  attempt: number;
  maxAttempts: number;
}

export async function deliverMessage(slug: string, messageId: string, info: AttemptInfo) {
  const { ConversationMessage, Conversation, Customer } = tenantModels(slug);
  const msg = await ConversationMessage.findById(messageId).lean();
  if (!msg || msg.direction !== 'out' || msg.status !== 'queued') return { skipped: msg?.status ?? 'missing' };
  const conv = await Conversation.findById(msg.conversationId).lean();
  const customer = conv && (await Customer.findById(conv.customerId).lean());
  const identity =
    customer?.identities.find((i) => i.channel === conv?.channel && i.inboxId === conv?.inboxId) ??
    customer?.identities.find((i) => i.channel === conv?.channel);
  if (!conv?.inboxId || !identity?.externalId)
    return markFailed(slug, messageId, String(msg.conversationId), {
      code: 'no_recipient',
      message: 'The customer has no identity on this channel',
    });

  try {
    const inbox = await inboxById(slug, conv.inboxId);
    if (!inbox.enabled)
      return markFailed(slug, messageId, String(conv._id), { code: 'inbox_disabled', message: 'This inbox is disabled in the admin console' });
    const { providerMessageId } = await sendThrough(inbox, identity.externalId, { ...msg, _id: String(msg._id) });
    const now = new Date();
    await ConversationMessage.updateOne(
      { _id: msg._id, status: 'queued' },
      { $set: { status: 'sent', providerMessageId, sentAt: now }, $push: { statusHistory: { status: 'sent', at: now } } },
    );
    emitToOrg(slug, 'inbox:message.status', { conversationId: String(conv._id), messageId, status: 'sent', cursor: messageId });
    return { providerMessageId };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    if (err.retryable && info.attempt < info.maxAttempts) throw err;
    await markFailed(slug, messageId, String(conv._id), { code: `${err.provider}:${err.code}`, message: err.message });
    throw new UnrecoverableError(`${err.provider} refused the message: ${err.code} ${err.message}`);
  }
}

type Msg = { _id: string; content?: string | null; payload?: unknown };

async function sendThrough(inbox: ResolvedInbox, to: string, msg: Msg) {
  const payload = (msg.payload ?? {}) as {
    template?: { name: string; language: string; variables: string[] };
    humanAgentTag?: boolean;
  };
  const text = msg.content ?? '';
  if (inbox.provider === 'webchat') {
    // Our own channel: the visitor's widget gets it over its socket (and from history on reload).
    emitToVisitor(inbox.slug, to, 'message', { id: msg._id, direction: 'out', text, at: new Date().toISOString() });
    return { providerMessageId: `wc-out-${msg._id}` };
  }
  if (inbox.provider === 'twilio') {
    const t = inbox.twilio;
    return sendTwilioMessage({
      accountSid: t.accountSid ?? '',
      authToken: t.authToken ?? '',
      from: t.fromNumber ?? '',
      to,
      body: text,
      statusCallback: t.webhookUrl,
    });
  }
  const token = inbox.meta.accessToken ?? '';
  if (inbox.channel === 'whatsapp')
    return sendGraphMessage(token, {
      kind: 'whatsapp',
      phoneNumberId: inbox.meta.phoneNumberId ?? '',
      to,
      text,
      template: payload.template,
    });
  const accountId = (inbox.channel === 'instagram' ? inbox.meta.igUserId : inbox.meta.pageId) ?? '';
  return sendGraphMessage(token, {
    kind: inbox.channel === 'instagram' ? 'instagram' : 'messenger',
    accountId,
    to,
    text,
    humanAgentTag: payload.humanAgentTag,
  });
}

async function markFailed(slug: string, messageId: string, conversationId: string, error: { code: string; message: string }) {
  const { ConversationMessage, EventLog } = tenantModels(slug);
  const now = new Date();
  await ConversationMessage.updateOne(
    { _id: messageId, status: 'queued' },
    { $set: { status: 'failed', error }, $push: { statusHistory: { status: 'failed', at: now } } },
  );
  await EventLog.create({ type: 'message.failed', conversationId, actorType: 'provider', data: { messageId, error } });
  emitToOrg(slug, 'inbox:message.status', { conversationId, messageId, status: 'failed', error, cursor: messageId });
  return { failed: error };
}
