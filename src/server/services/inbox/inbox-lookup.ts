import { LRUCache } from 'lru-cache';
import { platformModels } from '../../db/models/platform';
import type { CONVERSATION_CHANNELS, InboxProvider } from '../../db/models/tenant';
import { INBOX_SECRET_PATHS, inboxSecretContext, type InboxSecretPath } from '../../crypto/secret-fields';
import { decryptSecret } from '../../crypto/secrets';
import { AppError } from '../../errors';
import { configEventsLive, onOrgConfigUpdated, publishOrgConfigUpdated, type OrgConfigEvent } from '../../tenancy/config-events';
import { tenantModels } from '../../tenancy/connections';

/**
 * The cached inbox lookup used by the webhook handlers and the outbound sender. Secrets are
 * decrypted only into the in-memory `ResolvedInbox` of a live lookup, never into anything an API
 * returns. Every admin change publishes `inbox.changed:<publicId>` on `org:config:updated`, so each
 * web and worker process drops its copy at once: a rotated app secret or a disabled inbox is in
 * force everywhere within about a second, not after the TTL.
 */
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

type Slot = { value: ResolvedInbox | null };

const TTL_MS = 60_000; // a safety net only: invalidation events are what keeps entries fresh
const NEGATIVE_TTL_MS = 5_000; // unknown ids: remembered briefly so random URLs cannot hammer the DB
const DEAF_TTL_MS = 1_000; // while invalidations cannot reach this process (not subscribed, Redis down)
const CHANGED = 'inbox.changed:';

// Webhooks arrive by the thousand per second: secrets are decrypted once per inbox, not per request.
const cache = new LRUCache<string, Slot>({ max: 5000, ttl: TTL_MS });
// A lookup that started before an invalidation must not put what it read back into the cache.
let generation = 0;

function onConfigEvent(event: OrgConfigEvent): void {
  generation++;
  if (event.slug === '*') return cache.clear();
  if (event.reason.startsWith(CHANGED)) return void cache.delete(event.reason.slice(CHANGED.length));
  // Anything else about the org (rotation, suspension): drop all of its inboxes and unknown ids.
  for (const [publicId, slot] of cache.entries()) if (!slot.value || slot.value.slug === event.slug) cache.delete(publicId);
}

/** The inbox a webhook URL names, with decrypted secrets; null when unknown. */
export async function resolveInbox(publicId: string): Promise<ResolvedInbox | null> {
  if (!/^ibx_[0-9a-f]{24}$/.test(publicId)) return null;
  const hit = cache.get(publicId);
  if (hit) return hit.value;
  // Idempotent (a Set of handlers), and re-registers after closeConfigEvents() cleared them.
  onOrgConfigUpdated(onConfigEvent);
  const gen = generation;
  const value = await loadInbox(publicId);
  if (gen === generation) {
    const ttl = !configEventsLive() ? DEAF_TTL_MS : value ? TTL_MS : NEGATIVE_TTL_MS;
    cache.set(publicId, { value }, { ttl });
  }
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
  const secrets: Partial<Record<InboxSecretPath, string>> = {};
  for (const path of INBOX_SECRET_PATHS) {
    const [group, key] = path.split('.') as ['meta' | 'twilio', string];
    const stored = (doc[group] as Record<string, unknown> | null | undefined)?.[key];
    if (typeof stored === 'string' && stored) secrets[path] = decryptSecret(stored, inboxSecretContext(slug, publicId, path));
  }
  const clean = <T extends object>(o: T | null | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v != null));
  return {
    slug,
    id: String(doc._id),
    publicId,
    provider: doc.provider as InboxProvider,
    channel: doc.channel,
    enabled: doc.enabled !== false,
    meta: {
      ...clean(doc.meta),
      appSecret: secrets['meta.appSecret'],
      verifyToken: secrets['meta.verifyToken'],
      accessToken: secrets['meta.accessToken'],
    },
    twilio: { ...clean(doc.twilio), authToken: secrets['twilio.authToken'] },
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

/** Forget the cached copy in this process only (tests; admin changes use `announceInboxChange`). */
export function invalidateInbox(publicId?: string): void {
  generation++;
  if (publicId) cache.delete(publicId);
  else cache.clear();
}

/** An inbox's settings or secrets changed: drop it here (synchronously) and in every other process. */
export async function announceInboxChange(slug: string, publicId: string): Promise<void> {
  invalidateInbox(publicId);
  await publishOrgConfigUpdated(slug, `${CHANGED}${publicId}`);
}
