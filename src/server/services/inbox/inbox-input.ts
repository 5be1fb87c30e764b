import { z } from 'zod';
import { CONVERSATION_CHANNELS, type InboxProvider } from '../../db/models/tenant';
import type { OrgFeature } from '../../db/models/platform/org-constants';
import { objectIdInput } from '../shared/ids';

/**
 * What the admin console may send about inboxes. Every value is a bounded string, boolean or array
 * of strings (strict objects, no unknown keys), so nothing shaped like a query operator can reach
 * MongoDB. Which fields a provider and channel need is checked in `assertChannelFields`.
 */
const providerId = z.string().trim().regex(/^[0-9]{1,64}$/, 'Use the numeric id shown in Meta’s dashboard');
const fromNumber = z.string().trim().regex(/^(whatsapp:)?\+[1-9]\d{6,14}$/, 'Use E.164, e.g. +15551234567 or whatsapp:+15551234567');
const origin = z.string().trim().url().max(200).refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'Only an origin, e.g. https://shop.example.com');

/** Secret values: write-only; lengths follow what the providers issue. */
export const SECRET_RULES = {
  appSecret: z.string().min(8).max(256),
  verifyToken: z.string().min(8).max(256),
  accessToken: z.string().min(8).max(1024),
  authToken: z.string().min(16).max(128),
} as const;
export type InboxSecretName = keyof typeof SECRET_RULES;

export const createInboxInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  provider: z.enum(['meta', 'twilio', 'webchat']),
  channel: z.enum(CONVERSATION_CHANNELS),
  meta: z
    .strictObject({
      appSecret: SECRET_RULES.appSecret,
      verifyToken: SECRET_RULES.verifyToken,
      accessToken: SECRET_RULES.accessToken,
      phoneNumberId: providerId.optional(),
      pageId: providerId.optional(),
      igUserId: providerId.optional(),
    })
    .optional(),
  twilio: z
    .strictObject({
      accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'Account SID starts with AC and has 32 hex digits'),
      authToken: SECRET_RULES.authToken,
      fromNumber,
      webhookUrl: z.string().url().max(500).optional(),
    })
    .optional(),
  webchat: z
    .strictObject({ allowedOrigins: z.array(origin).max(20).optional(), greeting: z.string().max(500).optional() })
    .optional(),
});
export type CreateInboxInput = z.input<typeof createInboxInput>;

/** Non-secret settings; a field left out stays as it is, `null` clears an optional one. */
export const updateInboxInput = z.strictObject({
  id: objectIdInput,
  name: z.string().trim().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
  meta: z
    .strictObject({ phoneNumberId: providerId.optional(), pageId: providerId.optional(), igUserId: providerId.optional() })
    .optional(),
  twilio: z.strictObject({ fromNumber: fromNumber.optional(), webhookUrl: z.string().url().max(500).nullable().optional() }).optional(),
  webchat: z
    .strictObject({ allowedOrigins: z.array(origin).max(20).optional(), greeting: z.string().max(500).nullable().optional() })
    .optional(),
});
export type UpdateInboxInput = z.input<typeof updateInboxInput>;

export const rotateInboxSecretInput = z.discriminatedUnion('secret', [
  z.strictObject({ id: objectIdInput, secret: z.literal('appSecret'), value: SECRET_RULES.appSecret }),
  z.strictObject({ id: objectIdInput, secret: z.literal('verifyToken'), value: SECRET_RULES.verifyToken }),
  z.strictObject({ id: objectIdInput, secret: z.literal('accessToken'), value: SECRET_RULES.accessToken }),
  z.strictObject({ id: objectIdInput, secret: z.literal('authToken'), value: SECRET_RULES.authToken }),
]);
export type RotateInboxSecretInput = z.input<typeof rotateInboxSecretInput>;

export const inboxIdInput = z.strictObject({ id: objectIdInput });

type Channel = (typeof CONVERSATION_CHANNELS)[number];

export const CHANNELS_OF: Record<InboxProvider, readonly Channel[]> = {
  meta: ['whatsapp', 'messenger', 'instagram'],
  twilio: ['sms', 'twilio_whatsapp'],
  webchat: ['webchat'],
};

/** Which secrets each provider holds (and may rotate). */
export const SECRETS_OF: Record<InboxProvider, readonly InboxSecretName[]> = {
  meta: ['appSecret', 'verifyToken', 'accessToken'],
  twilio: ['authToken'],
  webchat: [],
};

/** The Meta id an outbound send needs, per channel. */
export const META_ID_OF: Partial<Record<Channel, { key: 'phoneNumberId' | 'pageId' | 'igUserId'; label: string }>> = {
  whatsapp: { key: 'phoneNumberId', label: 'the WhatsApp phone number id' },
  messenger: { key: 'pageId', label: 'the Facebook page id' },
  instagram: { key: 'igUserId', label: 'the Instagram account id' },
};

/** The organisation feature (set by the platform operator per plan) each channel needs. */
export const FEATURE_OF: Record<Channel, OrgFeature> = {
  whatsapp: 'whatsapp',
  messenger: 'messenger',
  instagram: 'instagram',
  sms: 'twilio',
  twilio_whatsapp: 'twilio',
  webchat: 'webChat',
};

export const CHANNEL_LABEL: Record<Channel, string> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
  sms: 'SMS (Twilio)',
  twilio_whatsapp: 'WhatsApp (Twilio)',
  webchat: 'Web chat',
};
