import { LRUCache } from 'lru-cache';
import type { CachedOrg } from '../tenancy/org-cache';
import type { AccessClaims } from './access-token';
import { onOrgConfigUpdated, revokedUserOf } from './revocation-events';

/**
 * Signature checks are the expensive part of a session check, and the same cookie arrives on every
 * request. Tokens that verified are remembered (by organisation key fingerprint + exact token string,
 * so any tampering misses) until they expire; an organisation change (e.g. a rotated secret) drops
 * the organisation's entries. Expiry and the user's revocation stamp are still checked per request.
 */
type Verify = (key: Uint8Array) => Promise<AccessClaims | null>;

const cache = new LRUCache<string, AccessClaims>({ max: 50_000 });
let subscribed = false;

function subscribe() {
  if (subscribed) return;
  subscribed = true;
  onOrgConfigUpdated((event) => {
    if (revokedUserOf(event)) return; // the user check handles revocation
    cache.clear(); // rare (configuration changes); simpler than an index per organisation
  });
}

export const verifiedTokens = {
  async verify(
    org: CachedOrg,
    token: string,
    verify: Verify,
    keyOf: (org: CachedOrg) => Uint8Array,
  ): Promise<AccessClaims | null> {
    subscribe();
    const key = `${org.slug}|${org.auth?.jwtSecret ?? ''}|${token}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const claims = await verify(keyOf(org));
    if (claims) cache.set(key, claims, { ttl: Math.max(1, claims.expiresAt - Date.now()) });
    return claims;
  },
};
