import { isAppError } from '../../errors';
import { ProviderError } from '../../providers/provider-error';
import { emitToOrg } from '../../realtime/emit';
import { deleteObject, mediaKey, storeObject, type StoredObject } from '../../storage';
import { releaseStorage } from '../../tenancy/plan-limits';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { fetchMedia, type MediaRef } from './media-fetch';
import { inboxById } from './inboxes';
import { attachmentFilename } from './media-names';

/**
 * The media-download job's service: every attachment of one inbound message still waiting is
 * downloaded from the provider, stored in the organisation's object storage (quota counted) and
 * written back onto the message (`attachments.N`: status stored, key, contentType, size, sha256,
 * filename); the workspace is told live. Idempotent for at-least-once delivery: stored and failed
 * attachments are skipped, the object key is deterministic, and the File record (upserted by key)
 * decides whether the quota was already counted for it.
 */
export interface MediaAttempt {
  attempt: number;
  maxAttempts: number;
}

type Att = MediaRef & { status?: string; key?: string };

export async function downloadMessageMedia(slug: string, messageId: string, info: MediaAttempt) {
  const org = await loadOrg(slug);
  if (!org) return { skipped: 'organisation deleted' };
  const { ConversationMessage, Conversation } = tenantModels(slug);
  const msg = await ConversationMessage.findById(messageId).select({ conversationId: 1, attachments: 1 }).lean();
  if (!msg) return { skipped: 'message missing' };
  const conv = await Conversation.findById(msg.conversationId).select({ inboxId: 1, customerId: 1 }).lean();
  const atts = (msg.attachments ?? []) as unknown as Att[];
  const waiting = atts.map((a, i) => [a, i] as const).filter(([a]) => a.status !== 'stored' && a.status !== 'failed');
  if (waiting.length === 0) return { stored: 0 };
  const conversationId = String(msg.conversationId);
  if (!conv?.inboxId) {
    for (const [, i] of waiting)
      await markFailed(slug, messageId, conversationId, i, {
        code: 'no_inbox',
        message: 'The conversation has no inbox to download from',
      });
    return { failed: waiting.length };
  }
  const inbox = await inboxById(slug, conv.inboxId);

  let retryLater: ProviderError | undefined;
  let stored = 0;
  for (const [att, index] of waiting) {
    try {
      const fetched = await fetchMedia(inbox, att);
      const key = mediaKey(slug, conversationId, messageId, index);
      const object = await storeObject(slug, key, fetched.bytes, fetched.contentType);
      const filename = attachmentFilename(att, object.contentType, messageId, index);
      await recordFile(slug, object, { uploadedBy: conv.customerId, conversationId: msg.conversationId, filename });
      await markStored(slug, messageId, conversationId, index, object, filename);
      stored++;
    } catch (err) {
      const retryable = err instanceof ProviderError && err.retryable && info.attempt < info.maxAttempts;
      if (retryable) {
        retryLater ??= err;
        continue; // the others still get their chance in this attempt
      }
      const error = describe(err);
      if (!error) throw err; // a bug or an outage of our own (MongoDB, S3): the queue retries it
      await markFailed(slug, messageId, conversationId, index, error);
    }
  }
  if (retryLater) throw retryLater; // carries retryAfterMs for the queue's provider backoff
  return { stored };
}

/** The error to show on the attachment, in words; undefined for errors that are ours to retry. */
function describe(err: unknown): { code: string; message: string } | undefined {
  if (err instanceof ProviderError) return { code: `${err.provider}:${err.code}`, message: err.message };
  if (isAppError(err) && (err.code === 'PAYLOAD_TOO_LARGE' || err.code === 'PRECONDITION_FAILED'))
    return { code: err.details?.limit === 'maxStorageMB' ? 'storage_quota' : 'storage', message: err.message };
  return undefined;
}

/** One File row per stored object (reconcileStorage sums them); a second upload of the same key gives its bytes back. */
async function recordFile(
  slug: string,
  object: StoredObject,
  meta: { uploadedBy: unknown; conversationId: unknown; filename: string },
) {
  const res = await tenantModels(slug).File.updateOne(
    { s3Path: { $eq: object.key } },
    {
      $setOnInsert: {
        s3Path: object.key,
        uploadedBy: meta.uploadedBy,
        conversationId: meta.conversationId,
        fileName: meta.filename,
        fileType: object.contentType,
        fileSize: object.size,
      },
    },
    { upsert: true },
  );
  if (res.upsertedCount === 0) await releaseStorage(slug, object.size);
}

async function markStored(
  slug: string,
  messageId: string,
  conversationId: string,
  index: number,
  object: StoredObject,
  filename: string,
) {
  const p = `attachments.${index}`;
  const res = await tenantModels(slug).ConversationMessage.updateOne(
    { _id: messageId, [`${p}.status`]: { $ne: 'stored' } },
    {
      $set: {
        [`${p}.status`]: 'stored',
        [`${p}.key`]: object.key,
        [`${p}.contentType`]: object.contentType,
        [`${p}.size`]: object.size,
        [`${p}.sha256`]: object.sha256,
        [`${p}.filename`]: filename,
        [`${p}.storedAt`]: new Date(),
      },
      $unset: { [`${p}.error`]: '' },
    },
  );
  if (res.matchedCount === 0) {
    // The message went away while downloading (conversation purged): do not keep an orphan object.
    const still = await tenantModels(slug).ConversationMessage.exists({ _id: messageId });
    if (!still) await deleteObject(slug, object.key, object.size);
    return;
  }
  emitToOrg(slug, 'inbox:message.updated', { conversationId, messageId, attachment: index, status: 'stored', cursor: messageId });
}

async function markFailed(
  slug: string,
  messageId: string,
  conversationId: string,
  index: number,
  error: { code: string; message: string },
) {
  const p = `attachments.${index}`;
  await tenantModels(slug).ConversationMessage.updateOne(
    { _id: messageId, [`${p}.status`]: { $ne: 'stored' } },
    { $set: { [`${p}.status`]: 'failed', [`${p}.error`]: error } },
  );
  await tenantModels(slug).EventLog.create({
    type: 'attachment.failed',
    conversationId,
    actorType: 'provider',
    data: { messageId, index, error },
  });
  emitToOrg(slug, 'inbox:message.updated', {
    conversationId,
    messageId,
    attachment: index,
    status: 'failed',
    error,
    cursor: messageId,
  });
}

/** The last attempt ended in a retryable error: the job's failure handler records it on the waiting attachments. */
export async function failWaitingMedia(slug: string, messageId: string, err: unknown) {
  const msg = await tenantModels(slug)
    .ConversationMessage.findById(messageId)
    .select({ conversationId: 1, attachments: 1 })
    .lean();
  if (!msg) return;
  const error = describe(err) ?? { code: 'download_failed', message: err instanceof Error ? err.message : String(err) };
  const atts = (msg.attachments ?? []) as unknown as Att[];
  for (const [i, a] of atts.entries()) {
    if (a.status !== 'stored' && a.status !== 'failed') await markFailed(slug, messageId, String(msg.conversationId), i, error);
  }
}
