import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import { redis, rkey } from '../../redis';

/**
 * Outstanding SAML AuthnRequests, in Redis for 10 minutes, keyed by request id. node-saml uses this
 * store to check InResponseTo (and deletes the id once a response was accepted, so a replayed
 * response fails); we also keep the organisation slug and the page to return to, which recovers
 * the organisation when an IdP drops RelayState (DESIGN decision 6).
 */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;
const key = (id: string) => rkey('saml', 'req', id);

interface RequestRecord {
  slug: string;
  next: string;
  value: string;
}

export function samlRequestStore(slug: string, next = '/'): CacheProvider {
  return {
    async saveAsync(id: string, value: string): Promise<CacheItem | null> {
      const record: RequestRecord = { slug, next, value };
      const ok = await redis().set(key(id), JSON.stringify(record), 'PX', SAML_REQUEST_TTL_MS, 'NX');
      return ok ? { value, createdAt: Date.now() } : null;
    },
    async getAsync(id: string): Promise<string | null> {
      const record = await samlRequest(id);
      return record && record.slug === slug ? record.value : null;
    },
    async removeAsync(id: string | null): Promise<string | null> {
      if (!id) return null;
      const raw = await redis().getdel(key(id));
      return raw ? (JSON.parse(raw) as RequestRecord).value : null;
    },
  };
}

export async function samlRequest(id: string): Promise<RequestRecord | null> {
  if (!/^[_a-zA-Z][\w.-]{0,200}$/.test(id)) return null;
  const raw = await redis().get(key(id));
  return raw ? (JSON.parse(raw) as RequestRecord) : null;
}

/** An assertion id may be accepted once (until it would have expired anyway). */
export async function markAssertionUsed(slug: string, assertionId: string): Promise<boolean> {
  const ok = await redis().set(rkey('saml', 'used', slug, assertionId), '1', 'PX', SAML_REQUEST_TTL_MS * 2, 'NX');
  return ok === 'OK';
}
