import { createHash, randomBytes } from 'node:crypto';
import { redis, rkey } from '../redis';

/**
 * Rotating refresh tokens (opaque, 32 random bytes), stored only as a SHA-256 hash in Redis.
 * Each token is single use: redeeming it deletes it atomically (GETDEL) and leaves a "used" marker.
 * Presenting a used token again is reuse (a stolen copy): the whole family is revoked, so the thief
 * and the victim both have to sign in again.
 */
export const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

export interface RefreshRecord {
  slug: string;
  userId: string;
  family: string;
  /** When the family started (the sign-in); compared with the user's sessionsValidAfter stamp. */
  authAtMs: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const liveKey = (token: string) => rkey('rt', 'live', hash(token));
const usedKey = (token: string) => rkey('rt', 'used', hash(token));
const familyKey = (family: string) => rkey('rt', 'revoked', family);

export async function storeRefreshToken(record: RefreshRecord): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await redis().set(liveKey(token), JSON.stringify(record), 'EX', REFRESH_TTL_SECONDS);
  return token;
}

export type RedeemResult = { ok: true; record: RefreshRecord } | { ok: false; reason: 'unknown' | 'reused' | 'revoked' };

export async function redeemRefreshToken(token: string, slug: string): Promise<RedeemResult> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: 'unknown' };
  const raw = await redis().getdel(liveKey(token));
  if (!raw) {
    const family = await redis().get(usedKey(token));
    if (!family) return { ok: false, reason: 'unknown' };
    await revokeFamily(family);
    return { ok: false, reason: 'reused' };
  }
  const record = JSON.parse(raw) as RefreshRecord;
  await redis().set(usedKey(token), record.family, 'EX', REFRESH_TTL_SECONDS);
  // A token of another organisation is treated as unknown (and stays spent: it was presented).
  if (record.slug !== slug) return { ok: false, reason: 'unknown' };
  if (await redis().exists(familyKey(record.family))) return { ok: false, reason: 'revoked' };
  return { ok: true, record };
}

export async function revokeFamily(family: string): Promise<void> {
  await redis().set(familyKey(family), '1', 'EX', REFRESH_TTL_SECONDS);
}

export async function isFamilyRevoked(family: string): Promise<boolean> {
  return (await redis().exists(familyKey(family))) === 1;
}
