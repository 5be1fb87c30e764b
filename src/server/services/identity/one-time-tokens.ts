import { createHash, randomBytes } from 'node:crypto';
import { type Types } from 'mongoose';
import { tenantConnection } from '../../tenancy/connections';

/**
 * Invitation and password-reset links. Only a SHA-256 hash of the token is stored (in the tenant's
 * `auth_tokens` collection, so an invitation outlives a Redis restart); redeeming deletes the row
 * in the same atomic operation that finds it, so a link works once, and never after `expiresAt`.
 */
export type TokenKind = 'invite' | 'reset';
export const TOKEN_TTL_MS: Record<TokenKind, number> = { invite: 7 * 24 * 3600_000, reset: 60 * 60_000 };

interface TokenRow {
  _id: string;
  kind: TokenKind;
  userId: Types.ObjectId;
  expiresAt: Date;
  createdAt: Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const rows = (slug: string) => tenantConnection(slug).collection<TokenRow>('auth_tokens');
const wellFormed = (token: unknown): token is string => typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);

/** A new token for the user; earlier tokens of the same kind for this user stop working. */
export async function createOneTimeToken(slug: string, kind: TokenKind, userId: Types.ObjectId): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await rows(slug).deleteMany({ kind, userId });
  const now = new Date();
  await rows(slug).insertOne({
    _id: hashOf(token),
    kind,
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[kind]),
  });
  return token;
}

/** The user a live token belongs to, without spending it (to render the page). */
export async function peekOneTimeToken(slug: string, kind: TokenKind, token: unknown): Promise<Types.ObjectId | null> {
  if (!wellFormed(token)) return null;
  const row = await rows(slug).findOne({ _id: hashOf(token), kind, expiresAt: { $gt: new Date() } });
  return row?.userId ?? null;
}

/** Spend a token: the user id once, then null forever. */
export async function redeemOneTimeToken(slug: string, kind: TokenKind, token: unknown): Promise<Types.ObjectId | null> {
  if (!wellFormed(token)) return null;
  const row = await rows(slug).findOneAndDelete({ _id: hashOf(token), kind, expiresAt: { $gt: new Date() } });
  return row?.userId ?? null;
}
