import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { platformModels } from '../../db/models/platform';
import { CONVERSATION_CHANNELS, type InboxProvider } from '../../db/models/tenant';
import { decryptSecret, encryptSecret } from '../../crypto/secrets';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';

/**
 * Provider inboxes: creation (secrets encrypted, platform route registered) and the cached lookup
 * the webhook handlers and the outbound sender use. Secrets are decrypted only into the in-memory
 * `InboxSecrets` of a live lookup, never into anything returned by an API.
 */
type SecretField = 'meta.appSecret' | 'meta.verifyToken' | 'meta.accessToken' | 'twilio.authToken';

const secretCtx = (slug: string, publicId: string, field: SecretField) => ({ scope: slug, field: `inbox.${publicId}.${field}` });

export const createInboxInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  provider: z.enum(['meta', 'twilio', 'webchat']),
  channel: z.enum(CONVERSATION_CHANNELS),
  meta: z
    .strictObject({
      appSecret: z.string().min(8).max(256),
      verifyToken: z.string().min(8).max(256),
      accessToken: z.string().min(8).max(1024),
      phoneNumberId: z.string().max(64).optional(),
      pageId: z.string().max(64).optional(),
      igUserId: z.string().max(64).optional(),
    })
    .optional(),
  twilio: z
    .strictObject({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
      authToken: z.string().min(16).max(128),
      fromNumber: z.string().regex(/^(whatsapp:)?\+[1-9]\d{6,14}$/),
      webhookUrl: z.string().url().optional(),
    })
    .optional(),
  webchat: z
    .strictObject({ allowedOrigins: z.array(z.string().url()).max(20).optional(), greeting: z.string().max(500).optional() })
    .optional(),
});
export type CreateInboxInput = z.input<typeof createInboxInput>;

const CHANNELS_OF: Record<InboxProvider, readonly string[]> = {
  meta: ['whatsapp', 'messenger', 'instagram'],
  twilio: ['sms', 'twilio_whatsapp'],
  webchat: ['webchat'],
};

export async function createInbox(slug: string, raw: CreateInboxInput) {
  const input = createInboxInput.parse(raw);
  if (!CHANNELS_OF[input.provider].includes(input.channel))
    throw new AppError('BAD_REQUEST', `${input.provider} does not serve ${input.channel}`);
  if (input.provider !== 'webchat' && !input[input.provider])
    throw new AppError('BAD_REQUEST', `${input.provider} credentials are required`);
  const publicId = `ibx_${randomBytes(12).toString('hex')}`;
  const enc = (field: SecretField, v: string | undefined) => (v ? encryptSecret(v, secretCtx(slug, publicId, field)) : undefined);
  const doc = await tenantModels(slug).Inbox.create({
    name: input.name,
    provider: input.provider,
    channel: input.channel,
    publicId,
    meta: input.meta && {
      ...input.meta,
      appSecret: enc('meta.appSecret', input.meta.appSecret),
      verifyToken: enc('meta.verifyToken', input.meta.verifyToken),
      accessToken: enc('meta.accessToken', input.meta.accessToken),
    },
    twilio: input.twilio && { ...input.twilio, authToken: enc('twilio.authToken', input.twilio.authToken) },
    webchat: input.webchat ?? {},
  });
  await platformModels().InboxRoute.create({ publicId, provider: input.provider, orgSlug: slug });
  return { id: String(doc._id), publicId, provider: input.provider, channel: input.channel, name: input.name };
}

export interface ResolvedInbox {
  slug: string;
  id: string;
  publicId: string;
  provider: InboxProvider;
  channel: (typeof CONVERSATION_CHANNELS)[number];
  enabled: boolean;
  meta: {
    appSecret?: string;
    verifyToken?: string;
    accessToken?: string;
    phoneNumberId?: string;
    pageId?: string;
    igUserId?: string;
  };
  twilio: { accountSid?: string; authToken?: string; fromNumber?: string; webhookUrl?: string };
  webchat: { allowedOrigins?: string[]; greeting?: string };
}

// Webhooks arrive by the thousand per second: secrets are decrypted once per inbox per TTL, not per request.
const cache = new LRUCache<string, { value: ResolvedInbox | null }>({ max: 5000, ttl: 30_000 });

/** The inbox a webhook URL names, with decrypted secrets; null when unknown. */
export async function resolveInbox(publicId: string): Promise<ResolvedInbox | null> {
  if (!/^ibx_[0-9a-f]{24}$/.test(publicId)) return null;
  const hit = cache.get(publicId);
  if (hit) return hit.value;
  const value = await loadInbox(publicId);
  cache.set(publicId, { value }, value ? undefined : { ttl: 5_000 });
  return value;
}

async function loadInbox(publicId: string): Promise<ResolvedInbox | null> {
  const route = await platformModels()
    .InboxRoute.findOne({ publicId: { $eq: publicId } })
    .lean();
  if (!route) return null;
  const slug = route.orgSlug;
  const doc = await tenantModels(slug)
    .Inbox.findOne({ publicId: { $eq: publicId } })
    .lean();
  if (!doc) return null;
  const dec = (field: SecretField, v: string | null | undefined) =>
    v ? decryptSecret(v, secretCtx(slug, publicId, field)) : undefined;
  const clean = <T extends object>(o: T | null | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v != null));
  return {
    slug,
    id: String(doc._id),
    publicId,
    provider: doc.provider as InboxProvider,
    channel: doc.channel,
    enabled: doc.enabled !== false,
    meta: {
      ...clean(doc.meta),
      appSecret: dec('meta.appSecret', doc.meta?.appSecret),
      verifyToken: dec('meta.verifyToken', doc.meta?.verifyToken),
      accessToken: dec('meta.accessToken', doc.meta?.accessToken),
    },
    twilio: { ...clean(doc.twilio), authToken: dec('twilio.authToken', doc.twilio?.authToken) },
    webchat: { ...clean(doc.webchat) } as ResolvedInbox['webchat'],
  };
}

/** The inbox by its tenant id (outbound sender). */
export async function inboxById(slug: string, inboxId: string): Promise<ResolvedInbox> {
  const doc = await tenantModels(slug).Inbox.findById(inboxId).select({ publicId: 1 }).lean();
  const inbox = doc && (await resolveInbox(doc.publicId));
  if (!inbox || inbox.slug !== slug) throw new AppError('NOT_FOUND', 'Inbox not found');
  return inbox;
}

/** Credentials changed: forget the cached copy (the admin console calls this after saving). */
export function invalidateInbox(publicId?: string): void {
  if (publicId) cache.delete(publicId);
  else cache.clear();
}

/** What the admin console may see of the inboxes: ids, channel, webhook path, which secrets are set. */
export async function listInboxes(slug: string) {
  const docs = await tenantModels(slug).Inbox.find().sort({ createdAt: 1 }).lean();
  return docs.map((d) => ({
    id: String(d._id),
    publicId: d.publicId,
    name: d.name,
    provider: d.provider,
    channel: d.channel,
    enabled: d.enabled !== false,
    webhookPath: d.provider === 'webchat' ? `/api/webhooks/webchat/${d.publicId}` : `/api/webhooks/${d.provider}/${d.publicId}`,
    ids: {
      phoneNumberId: d.meta?.phoneNumberId,
      pageId: d.meta?.pageId,
      igUserId: d.meta?.igUserId,
      accountSid: d.twilio?.accountSid,
      fromNumber: d.twilio?.fromNumber,
    },
    secretsSet: {
      appSecret: Boolean(d.meta?.appSecret),
      verifyToken: Boolean(d.meta?.verifyToken),
      accessToken: Boolean(d.meta?.accessToken),
      authToken: Boolean(d.twilio?.authToken),
    },
  }));
}
