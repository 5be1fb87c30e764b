import type { InferSchemaType } from 'mongoose';
import { Schema } from 'mongoose';
import { CONVERSATION_CHANNELS } from './inbox';
import { tenantOpts } from './schema-options';

export const INBOX_PROVIDERS = ['meta', 'twilio', 'webchat'] as const;
export type InboxProvider = (typeof INBOX_PROVIDERS)[number];

/**
 * A configured provider channel ("inbox"): one WhatsApp number, one Facebook page, one Instagram
 * account, one Twilio number or one web-chat widget. `publicId` is the unguessable id in its webhook
 * URL (/api/webhooks/<provider>/<publicId>); the platform-level InboxRoute maps it to the org.
 * Secret fields hold `enc:v1:` ciphertexts bound to org + `inbox.<publicId>.<field>` (services/inbox/inboxes.ts)
 * and are never returned by any API.
 */
export const inboxSchema = new Schema(
  {
    name: { type: String, required: true },
    provider: { type: String, enum: INBOX_PROVIDERS, required: true },
    channel: { type: String, enum: CONVERSATION_CHANNELS, required: true },
    publicId: { type: String, required: true },
    enabled: { type: Boolean, default: true },
    meta: {
      appSecret: String, // encrypted
      verifyToken: String, // encrypted
      accessToken: String, // encrypted
      phoneNumberId: String, // WhatsApp
      pageId: String, // Messenger
      igUserId: String, // Instagram
    },
    twilio: {
      accountSid: String,
      authToken: String, // encrypted
      fromNumber: String, // E.164, or whatsapp:+E.164
      /** The exact URL configured in Twilio's console (it signs it); unset = the request URL. */
      webhookUrl: String,
    },
    webchat: {
      allowedOrigins: { type: [String], default: undefined },
      greeting: String,
    },
  },
  tenantOpts('inboxes'),
);
inboxSchema.index({ publicId: 1 }, { unique: true });

export type InboxDoc = InferSchemaType<typeof inboxSchema>;
