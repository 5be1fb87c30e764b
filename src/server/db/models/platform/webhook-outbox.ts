import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Provider events that could not go to the queue: Redis was unreachable when the webhook arrived
 * (the web handler stores them here before answering 200), or their organisation is suspended (the
 * worker parks them). The worker's drainer moves them back to the queue once Redis is up and the
 * organisation active. Platform-level so one drainer finds every tenant's leftovers.
 */
export const webhookOutboxSchema = new Schema(
  {
    orgSlug: { type: String, required: true },
    jobName: { type: String, required: true },
    payload: { type: Object, required: true },
    /** The event's dedup id (provider message id digest): a second copy of a parked event is ignored. */
    dedupId: { type: String, required: true },
    reason: { type: String, enum: ['redis_unavailable', 'org_inactive'], required: true },
    attempts: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'webhook_outbox' },
);
webhookOutboxSchema.index({ dedupId: 1, reason: 1 }, { unique: true });
webhookOutboxSchema.index({ orgSlug: 1, createdAt: 1 });

export type WebhookOutboxDoc = InferSchemaType<typeof webhookOutboxSchema>;
