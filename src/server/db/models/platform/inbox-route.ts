import { Schema, type InferSchemaType } from 'mongoose';

/**
 * Webhook URL id -> organisation. Providers call /api/webhooks/<provider>/<publicId> with no other
 * hint of the tenant; the signature secret lives in the tenant's inbox, so this lookup must happen
 * before anything in the body is trusted or even parsed.
 */
export const inboxRouteSchema = new Schema(
  {
    publicId: { type: String, required: true, unique: true },
    provider: { type: String, enum: ['meta', 'twilio', 'webchat'], required: true },
    orgSlug: { type: String, required: true, index: true },
  },
  { timestamps: true, collection: 'inbox_routes' },
);

export type InboxRouteDoc = InferSchemaType<typeof inboxRouteSchema>;
