import { LRUCache } from 'lru-cache';
import type { Connection } from 'mongoose';
import { mongo } from '../db/mongo';
import { registerTenantModels, type TenantModels } from '../db/models/tenant';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { isValidSlug, tenantDbName } from './slug';

/**
 * Tenant database access. A tenant connection is a `useDb` view on the one process-wide client (no
 * extra sockets); its model registry is built on first use and kept in an LRU, so a deployment
 * with thousands of organisations only holds the recently active ones in memory.
 */
interface Entry {
  base: Connection;
  conn: Connection;
  models?: TenantModels;
}

let cache: LRUCache<string, Entry> | undefined;

function entries(): LRUCache<string, Entry> {
  cache ??= new LRUCache<string, Entry>({
    max: getEnv().TENANT_CACHE_MAX,
    // Evicted tenants also leave mongoose's own list of related databases, or it would grow forever.
    dispose: (entry) => {
      try {
        (entry.base as Connection & { removeDb(name: string): void }).removeDb(entry.conn.name);
      } catch {
        /* already gone (client closed) */
      }
    },
  });
  return cache;
}

function entry(slug: string): Entry {
  if (!isValidSlug(slug)) throw new AppError('BAD_REQUEST', `Invalid organisation slug "${slug}"`);
  const base = mongo();
  const lru = entries();
  let e = lru.get(slug);
  if (!e || e.base !== base) {
    e = { base, conn: base.useDb(tenantDbName(slug), { useCache: true }) };
    lru.set(slug, e);
  }
  return e;
}

/** The tenant's database as a view on the shared client. */
export function tenantConnection(slug: string): Connection {
  return entry(slug).conn;
}

/** Every tenant model, bound to `org_<slug>_db`. Callers must have resolved and authorised the org. */
export function tenantModels(slug: string): TenantModels {
  const e = entry(slug);
  e.models ??= registerTenantModels(e.conn);
  return e.models;
}

/** Forget one tenant (suspension, deletion) or all of them (tests, reconnects). */
export function dropTenantConnection(slug?: string): void {
  if (slug === undefined || slug === '*') entries().clear();
  else entries().delete(slug);
}

export function tenantCacheStats(): { size: number; max: number } {
  const lru = entries();
  return { size: lru.size, max: lru.max };
}
