import { hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { readOrgSecret } from '../crypto/secret-fields';
import { getEnv } from '../env';
import { AppError } from '../errors';
import type { CachedOrg } from '../tenancy/org-cache';

/**
 * Each organisation signs its sessions with its own key: HKDF(AUTH_SECRET, salt = org id,
 * info = the org's own encrypted-at-rest `auth.jwtSecret`). A session of one organisation therefore
 * never verifies on another host, and rotating the org's jwtSecret voids every session it issued.
 *
 * Keys are cached by the stored ciphertext, so a rotation (new ciphertext) misses the cache at once.
 */
const keys = new LRUCache<string, Uint8Array>({ max: 5000 });

export function orgSigningKey(org: Pick<CachedOrg, 'slug' | '_id' | 'auth'>): Uint8Array {
  const stored = org.auth?.jwtSecret;
  if (!stored) throw new AppError('UNAVAILABLE', 'This workspace has no session secret yet');
  const cacheKey = `${org.slug}|${String(org._id)}|${stored}`;
  const hit = keys.get(cacheKey);
  if (hit) return hit;
  const orgSecret = readOrgSecret(org, 'auth.jwtSecret') ?? '';
  const key = new Uint8Array(hkdfSync('sha256', getEnv().AUTH_SECRET, String(org._id), `session:${org.slug}:${orgSecret}`, 32));
  keys.set(cacheKey, key);
  return key;
}

/** next-auth wants a string secret; same derivation, different purpose label. */
export function orgAuthJsSecret(org: Pick<CachedOrg, 'slug' | '_id' | 'auth'>): string {
  const orgSecret = readOrgSecret(org, 'auth.jwtSecret') ?? '';
  return Buffer.from(hkdfSync('sha256', getEnv().AUTH_SECRET, String(org._id), `authjs:${org.slug}:${orgSecret}`, 32)).toString(
    'base64url',
  );
}
