import { LRUCache } from 'lru-cache';
import type { Connection } from 'mongoose';
import { mongo } from '../db/mongo';
import { registerTenantModels, releaseTenantModels, type TenantModels } from '../db/models/tenant';
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
    // Evicted tenants also leave mongoose's lists of related databases, or they would grow forever.
    // Not `removeDb()`: it force-closes the view, and a request still holding it would fail.
    dispose: (entry) => {
      if (entry.models) releaseTenantModels(entry.models);
      detachView(entry.base, entry.conn);
    },
  });
  return cache;
}

function detachView(base: Connection, view: Connection): void {
  const b = base as unknown as { relatedDbs: Record<string, Connection>; otherDbs: Connection[] };
  if (b.relatedDbs[view.name] === view) delete b.relatedDbs[view.name];
  b.otherDbs = b.otherDbs.filter((c) => c !== view);
}

function entry(slug: string): Entry {
  if (!isValidSlug(slug)) throw new AppError('BAD_REQUEST', `Invalid organisation slug "${slug}"`);
  const base = mongo();
  const lru = entries();
  let e = lru.get(slug);
  if (!e || e.base !== base) {
    const conn = base.useDb(tenantDbName(slug), { useCache: true });
    // A view created while the client is briefly "disconnected" (a missed heartbeat on a busy
    // machine) gets its db handle only at the next successful heartbeat, yet can already report
    // "connected": registering models in that window crashes inside mongoose. The driver's db
    // handle is valid in every state (the driver reconnects by itself), so set it now.
    (conn as unknown as { db?: unknown }).db ??= base.getClient().db(conn.name);
    e = { base, conn };
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
