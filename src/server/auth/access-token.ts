import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * The short-lived access session: a JWT in an HttpOnly cookie, signed with the organisation's own
 * key (org-keys.ts) and bound to it by audience. `ims` is the issue time in milliseconds, compared
 * with the user's `sessionsValidAfter` stamp so revocation works within the same second.
 */
export const ACCESS_TTL_SECONDS = 15 * 60;
const ISSUER = 'cop-web';

export interface AccessClaims {
  userId: string;
  slug: string;
  issuedAtMs: number;
  family: string;
  expiresAt: number;
}

const claims = z.object({
  sub: z.string().regex(/^[a-f0-9]{24}$/),
  org: z.string().min(1),
  ims: z.number().int().positive(),
  fam: z.string().uuid(),
  exp: z.number(),
});

const audience = (slug: string) => `org:${slug}`;

export function mintAccessToken(
  key: Uint8Array,
  input: { userId: string; slug: string; family?: string; now?: number },
): Promise<string> {
  const now = input.now ?? Date.now();
  return new SignJWT({ org: input.slug, ims: now, fam: input.family ?? randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.userId)
    .setIssuer(ISSUER)
    .setAudience(audience(input.slug))
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + ACCESS_TTL_SECONDS)
    .sign(key);
}

/** Null for anything that is not a valid, unexpired token of this organisation. Never throws. */
export async function verifyAccessToken(key: Uint8Array, slug: string, token: string): Promise<AccessClaims | null> {
  if (token.length > 2048) return null;
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: audience(slug), algorithms: ['HS256'] });
    const c = claims.parse(payload);
    if (c.org !== slug) return null;
    return { userId: c.sub, slug: c.org, issuedAtMs: c.ims, family: c.fam, expiresAt: c.exp * 1000 };
  } catch {
    return null;
  }
}
