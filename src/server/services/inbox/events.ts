import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CONVERSATION_CHANNELS } from '../../db/models/tenant/inbox';

/**
 * The provider-neutral events the webhook parsers produce and the ingest job consumes. Parsing
 * happens in the web process after the signature check, so the queue only carries small, validated
 * records, one per message or status (a batched webhook becomes several jobs).
 */
const short = z.string().min(1).max(256);
const channel = z.enum(CONVERSATION_CHANNELS);

export const attachmentSchema = z.strictObject({
  kind: z.enum(['image', 'video', 'audio', 'document', 'sticker', 'file']),
  /** Provider media id (Meta) or URL (Twilio, Messenger); downloading to storage is a later step. */
  mediaId: short.optional(),
  url: z.string().max(2048).optional(),
  mimeType: z.string().max(128).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(512).optional(),
  sha256: z.string().max(128).optional(),
});

export const inboundMessageSchema = z.strictObject({
  kind: z.literal('message'),
  channel,
  providerMessageId: short,
  from: z.strictObject({
    externalId: short,
    name: z.string().max(256).optional(),
    phone: z.string().max(32).optional(),
    email: z.string().max(256).optional(),
  }),
  timestamp: z.number().int().nonnegative(),
  type: z.enum(['text', 'media', 'location', 'interactive']),
  text: z.string().max(65_536).optional(),
  attachments: z.array(attachmentSchema).max(20).default([]),
  /** location {latitude, longitude, name, address}; interactive {replyId, title}; raw type for unsupported. */
  payload: z.record(z.string(), z.unknown()).optional(),
});

export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

export const statusEventSchema = z.strictObject({
  kind: z.literal('status'),
  channel,
  providerMessageId: short,
  status: z.enum(DELIVERY_STATUSES),
  timestamp: z.number().int().nonnegative(),
  error: z.strictObject({ code: z.string().max(64), message: z.string().max(2048) }).optional(),
});

export const inboxEventSchema = z.discriminatedUnion('kind', [inboundMessageSchema, statusEventSchema]);
export type InboundMessage = z.output<typeof inboundMessageSchema>;
export type StatusEvent = z.output<typeof statusEventSchema>;
export type InboxEvent = z.input<typeof inboxEventSchema>;

/** Same event delivered twice -> same id (BullMQ dedup id, outbox key). No ':' (BullMQ job ids refuse it). */
export function eventDedupId(event: InboxEvent): string {
  const key = event.kind === 'message' ? `m|${event.providerMessageId}` : `s|${event.providerMessageId}|${event.status}`;
  return `${event.kind === 'message' ? 'm' : 's'}-${createHash('sha1').update(`${event.channel}|${key}`).digest('hex')}`;
}

/** The ingest job's name and payload; shared by the webhook store, the outbox drainer and the job. */
export const INGEST_JOB = 'inbox.ingest';
export const ingestPayloadSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  inboxId: z.string().regex(/^[0-9a-f]{24}$/),
  event: inboxEventSchema,
});
export type IngestPayload = z.output<typeof ingestPayloadSchema>;
