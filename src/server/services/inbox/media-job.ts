import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { defineJob } from '../../queues/define';
import { enqueue } from '../../queues/enqueue';
import { downloadMessageMedia, failWaitingMedia } from './media';

/**
 * `inbox.media-download`: one inbound message's attachments -> object storage. Retried with the
 * provider backoff (Retry-After of a 429 honoured, otherwise exponential with jitter); on the last
 * attempt whatever is still waiting is marked failed with the error in words, so nothing stays
 * "downloading" forever.
 */
const payload = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  messageId: z.string().regex(/^[0-9a-f]{24}$/),
});

export const mediaDownloadJob = defineJob({
  queue: 'inboxMedia',
  name: 'inbox.media-download',
  payload,
  defaults: { attempts: 6, backoffMs: 2000, backoffType: 'provider' },
  handle: async ({ slug, messageId }, { job }) => {
    const info = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    try {
      return await downloadMessageMedia(slug, messageId, info);
    } catch (err) {
      if (info.attempt < info.maxAttempts) throw err;
      await failWaitingMedia(slug, messageId, err);
      throw new UnrecoverableError(
        `media of message ${messageId} not stored: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  },
});

/** Called by ingestion once an inbound message with attachments is stored; the message id dedups repeats. */
export async function queueMediaDownload(slug: string, messageId: string): Promise<void> {
  await enqueue(mediaDownloadJob, { slug, messageId }, { jobId: `media-${slug}-${messageId}` });
}
