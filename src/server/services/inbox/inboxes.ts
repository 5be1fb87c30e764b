import { randomBytes } from 'node:crypto';
import { platformModels } from '../../db/models/platform';
import type { InboxDoc, InboxProvider } from '../../db/models/tenant';
import { inboxSecretContext, type InboxSecretPath } from '../../crypto/secret-fields';
import { encryptSecret } from '../../crypto/secrets';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { auditOrgChange, writeAudit, type OrgActor } from '../audit';
import {
  CHANNEL_LABEL,
  CHANNELS_OF,
  createInboxInput,
  FEATURE_OF,
  META_ID_OF,
  rotateInboxSecretInput,
  SECRETS_OF,
  updateInboxInput,
  type CreateInboxInput,
  type InboxSecretName,
  type RotateInboxSecretInput,
  type UpdateInboxInput,
} from './inbox-input';
import { announceInboxChange } from './inbox-lookup';

export { createInboxInput, updateInboxInput, rotateInboxSecretInput, inboxIdInput, type CreateInboxInput } from './inbox-input';
export { resolveInbox, inboxById, invalidateInbox, type ResolvedInbox } from './inbox-lookup';

/**
 * Provider inboxes as the admin console manages them. Rules:
 * - secrets are write-only: set at creation or rotated one at a time, never returned (only "set");
 * - a disabled inbox keeps its conversations and history; its webhooks answer 404 (as an unknown
 *   inbox, so the provider retries or gives up) and replies through it fail with a clear reason;
 * - an inbox can be deleted only while no conversation references it; otherwise disable it;
 * - a channel the organisation's plan does not include (platform feature flags) cannot be created
 *   or re-enabled;
 * - every change is audited (before/after without secrets) and announced to every process.
 */
const SECRET_PATH: Record<InboxSecretName, InboxSecretPath> = {
  appSecret: 'meta.appSecret',
  verifyToken: 'meta.verifyToken',
  accessToken: 'meta.accessToken',
  authToken: 'twilio.authToken',
};

const enc = (slug: string, publicId: string, path: InboxSecretPath, value: string) =>
  encryptSecret(value, inboxSecretContext(slug, publicId, path));

/** Who changed it; creations by fixtures and operator scripts are logged as the system. */
async function audit(slug: string, actor: OrgActor | undefined, action: string, id: string, change: { before?: unknown; after?: unknown }) {
  const target = { type: 'Inbox', id };
  if (actor) return auditOrgChange(slug, actor, action, target, change);
  await writeAudit({ scope: 'org', slug }, { action, actorType: 'system', target, details: { before: change.before ?? null, after: change.after ?? null } });
}

async function assertChannelAllowed(slug: string, channel: keyof typeof FEATURE_OF): Promise<void> {
  const features = (await loadOrg(slug))?.features as Record<string, boolean | undefined> | undefined;
  if (features?.inbox === false || features?.[FEATURE_OF[channel]] === false)
    throw new AppError('PRECONDITION_FAILED', `Your plan does not include ${CHANNEL_LABEL[channel]} inboxes; ask the platform operator to enable it`, {
      feature: FEATURE_OF[channel],
    });
}

function assertMetaIds(channel: keyof typeof FEATURE_OF, ids: { phoneNumberId?: string | null; pageId?: string | null; igUserId?: string | null } | undefined) {
  const need = META_ID_OF[channel];
  if (need && !ids?.[need.key]) throw new AppError('BAD_REQUEST', `${CHANNEL_LABEL[channel]} inboxes need ${need.label} (${need.key})`);
}

export async function createInbox(slug: string, raw: CreateInboxInput, actor?: OrgActor) {
  const input = createInboxInput.parse(raw);
  if (!CHANNELS_OF[input.provider].includes(input.channel))
    throw new AppError('BAD_REQUEST', `${input.provider} does not serve ${input.channel}`);
  if (input.provider !== 'webchat' && !input[input.provider])
    throw new AppError('BAD_REQUEST', `${input.provider} credentials are required`);
  for (const other of ['meta', 'twilio', 'webchat'] as const)
    if (other !== input.provider && input[other]) throw new AppError('BAD_REQUEST', `A ${input.provider} inbox takes no ${other} settings`);
  if (input.provider === 'meta') assertMetaIds(input.channel, input.meta);
  await assertChannelAllowed(slug, input.channel);
  const publicId = `ibx_${randomBytes(12).toString('hex')}`;
  const doc = await tenantModels(slug).Inbox.create({
    name: input.name,
    provider: input.provider,
    channel: input.channel,
    publicId,
    meta: input.meta && {
      ...input.meta,
      appSecret: enc(slug, publicId, 'meta.appSecret', input.meta.appSecret),
      verifyToken: enc(slug, publicId, 'meta.verifyToken', input.meta.verifyToken),
      accessToken: enc(slug, publicId, 'meta.accessToken', input.meta.accessToken),
    },
    twilio: input.twilio && { ...input.twilio, authToken: enc(slug, publicId, 'twilio.authToken', input.twilio.authToken) },
    webchat: input.webchat ?? {},
  });
  await platformModels().InboxRoute.create({ publicId, provider: input.provider, orgSlug: slug });
  await audit(slug, actor, 'inbox.created', String(doc._id), { after: view(doc.toObject() as StoredInbox) });
  return { id: String(doc._id), publicId, provider: input.provider, channel: input.channel, name: input.name };
}

async function existing(slug: string, id: string) {
  const doc = await tenantModels(slug).Inbox.findById(id).lean();
  if (!doc) throw new AppError('NOT_FOUND', 'Inbox not found');
  return doc;
}

export async function updateInbox(slug: string, raw: UpdateInboxInput, actor: OrgActor) {
  const { id, name, enabled, meta, twilio, webchat } = updateInboxInput.parse(raw);
  const before = await existing(slug, id);
  const provider = before.provider as InboxProvider;
  for (const [group, value] of [['meta', meta], ['twilio', twilio], ['webchat', webchat]] as const)
    if (value && group !== provider) throw new AppError('BAD_REQUEST', `A ${provider} inbox has no ${group} settings`);
  // Left-out ids stay as stored: only the given ones may not clear the id the channel needs.
  if (meta) assertMetaIds(before.channel, { ...before.meta, ...Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) });
  if (enabled === true && before.enabled === false) await assertChannelAllowed(slug, before.channel);
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  if (name !== undefined) $set.name = name;
  if (enabled !== undefined) $set.enabled = enabled;
  for (const [group, fields] of [['meta', meta], ['twilio', twilio], ['webchat', webchat]] as const)
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value === undefined) continue;
      if (value === null) $unset[`${group}.${key}`] = '';
      else $set[`${group}.${key}`] = value;
    }
  const after = await tenantModels(slug).Inbox.findByIdAndUpdate(
    id,
    { ...(Object.keys($set).length && { $set }), ...(Object.keys($unset).length && { $unset }) },
    { returnDocument: 'after', runValidators: true },
  ).lean();
  if (!after) throw new AppError('NOT_FOUND', 'Inbox not found');
  const action = enabled === false && before.enabled !== false ? 'inbox.disabled' : enabled === true && before.enabled === false ? 'inbox.enabled' : 'inbox.updated';
  await announceInboxChange(slug, before.publicId);
  await audit(slug, actor, action, id, { before: view(before as StoredInbox), after: view(after as StoredInbox) });
  return toListItem(after as StoredInbox);
}

/** Set a new value for one secret. The old value is gone; the new one is in force at once everywhere. */
export async function rotateInboxSecret(slug: string, raw: RotateInboxSecretInput, actor: OrgActor) {
  const { id, secret, value } = rotateInboxSecretInput.parse(raw);
  const before = await existing(slug, id);
  if (!SECRETS_OF[before.provider as InboxProvider].includes(secret))
    throw new AppError('BAD_REQUEST', `A ${before.provider} inbox has no ${secret}`);
  const path = SECRET_PATH[secret];
  const after = await tenantModels(slug)
    .Inbox.findByIdAndUpdate(id, { $set: { [path]: enc(slug, before.publicId, path, value) } }, { returnDocument: 'after' })
    .lean();
  if (!after) throw new AppError('NOT_FOUND', 'Inbox not found');
  await announceInboxChange(slug, before.publicId);
  // What changed, never the value (nor its ciphertext).
  await audit(slug, actor, 'inbox.secret.rotated', id, { after: { name: before.name, secret } });
  return toListItem(after as StoredInbox);
}

export async function deleteInbox(slug: string, id: string, actor: OrgActor) {
  const { Inbox, Conversation } = tenantModels(slug);
  const before = await existing(slug, id);
  const conversations = await Conversation.countDocuments({ inboxId: { $eq: id } });
  if (conversations > 0)
    throw new AppError(
      'CONFLICT',
      `This inbox has ${conversations} conversation${conversations === 1 ? '' : 's'}; disable it instead so their history stays readable`,
      { conversations },
    );
  // The route first: from here on its webhook URL is unknown, even to a process with a stale cache entry after the announcement.
  await platformModels().InboxRoute.deleteOne({ publicId: { $eq: before.publicId }, orgSlug: { $eq: slug } });
  await Inbox.deleteOne({ _id: before._id });
  await announceInboxChange(slug, before.publicId);
  await audit(slug, actor, 'inbox.deleted', id, { before: view(before as StoredInbox) });
  return { id };
}

type StoredInbox = InboxDoc & { _id: unknown; createdAt?: Date };

/** An inbox for audit before/after: settings and which secrets are set, never their ciphertexts. */
function view(d: StoredInbox) {
  const { id: _id, webhookPath: _path, createdAt: _at, ...rest } = toListItem(d);
  return rest;
}

function toListItem(d: StoredInbox) {
  const provider = d.provider as InboxProvider;
  return {
    id: String(d._id),
    publicId: d.publicId,
    name: d.name,
    provider,
    channel: d.channel,
    enabled: d.enabled !== false,
    webhookPath: `/api/webhooks/${provider}/${d.publicId}`,
    ids: {
      phoneNumberId: d.meta?.phoneNumberId ?? undefined,
      pageId: d.meta?.pageId ?? undefined,
      igUserId: d.meta?.igUserId ?? undefined,
      accountSid: d.twilio?.accountSid ?? undefined,
      fromNumber: d.twilio?.fromNumber ?? undefined,
    },
    twilioWebhookUrl: d.twilio?.webhookUrl ?? undefined,
    webchat: provider === 'webchat' ? { allowedOrigins: d.webchat?.allowedOrigins ?? [], greeting: d.webchat?.greeting ?? undefined } : undefined,
    secretsSet: {
      appSecret: Boolean(d.meta?.appSecret),
      verifyToken: Boolean(d.meta?.verifyToken),
      accessToken: Boolean(d.meta?.accessToken),
      authToken: Boolean(d.twilio?.authToken),
    },
    createdAt: d.createdAt ? new Date(d.createdAt).toISOString() : undefined,
  };
}
export type InboxListItem = ReturnType<typeof toListItem>;

/** What the admin console may see of the inboxes: ids, channel, webhook path, which secrets are set. */
export async function listInboxes(slug: string): Promise<InboxListItem[]> {
  const docs = await tenantModels(slug).Inbox.find().sort({ createdAt: 1 }).limit(500).lean();
  return docs.map((d) => toListItem(d as StoredInbox));
}

/** One inbox as the console shows it (after create). */
export async function getInbox(slug: string, id: string): Promise<InboxListItem> {
  return toListItem((await existing(slug, id)) as StoredInbox);
}
