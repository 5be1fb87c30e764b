import { LRUCache } from 'lru-cache';
import { platformModels, type OrganizationDoc } from '../db/models/platform';
import { getEnv } from '../env';
import { configEventsLive, onOrgConfigUpdated } from './config-events';

/**
 * Per-process cache of organisation records by slug and of verified custom domains. Entries live
 * ORG_CACHE_TTL_MS at most; `org:config:updated` drops them at once in every process. A generation
 * counter stops a lookup that started before an invalidation from re-filling the cache with what it
 * read before the change.
 */
export type CachedOrg = OrganizationDoc & { _id: unknown };
type Slot<T> = { value: T };

const NEGATIVE_TTL_MS = 5_000; // unknown hosts: remember briefly so random hosts cannot hammer the DB
const DEAF_TTL_MS = 1_000; // while invalidations cannot reach this process (not subscribed, Redis down)

let orgs: LRUCache<string, Slot<CachedOrg | null>> | undefined;
let domains: LRUCache<string, Slot<string | null>> | undefined;
let generation = 0;
let unsubscribe: (() => void) | undefined;

function caches() {
  if (!orgs || !domains) {
    const { ORG_CACHE_MAX: max, ORG_CACHE_TTL_MS: ttl } = getEnv();
    orgs = new LRUCache({ max, ttl: ttl || undefined, ttlAutopurge: false });
    domains = new LRUCache({ max, ttl: ttl || undefined, ttlAutopurge: false });
  }
  unsubscribe ??= onOrgConfigUpdated((event) => invalidateOrg(event.slug));
  return { orgs, domains };
}

export function invalidateOrg(slug: string): void {
  generation++;
  const { orgs: o, domains: d } = caches();
  if (slug === '*') o.clear();
  else o.delete(slug);
  d.clear(); // domain -> slug rows are few and cheap to rebuild; no reverse index needed
  // Tenant model registries hold no configuration, so they stay (connections.ts evicts idle ones).
}

async function cached<T>(cache: LRUCache<string, Slot<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit.value;
  const gen = generation;
  const value = await load();
  if (gen !== generation) return value;
  if (!configEventsLive()) cache.set(key, { value }, { ttl: DEAF_TTL_MS });
  else cache.set(key, { value }, value === null ? { ttl: NEGATIVE_TTL_MS } : undefined);
  return value;
}

/** The organisation record (secrets still encrypted: never serialise it to a client). */
export function loadOrg(slug: string): Promise<CachedOrg | null> {
  return cached(caches().orgs, slug, async () => {
    const org = await platformModels()
      .Organization.findOne({ slug: { $eq: slug } })
      .lean<CachedOrg>();
    return org ?? null;
  });
}

/** The slug a verified custom domain belongs to. */
export function slugForDomain(domain: string): Promise<string | null> {
  return cached(caches().domains, domain, async () => {
    const mapping = await platformModels()
      .DomainMapping.findOne({ domain: { $eq: domain }, verified: true })
      .select({ orgSlug: 1 })
      .lean();
    return mapping?.orgSlug ?? null;
  });
}

/** Tests and shutdown: forget everything and stop listening. */
export function resetOrgCache(): void {
  orgs?.clear();
  domains?.clear();
  unsubscribe?.();
  unsubscribe = undefined;
}
