import { randomUUID } from 'node:crypto';
import { ACCESS_TTL_SECONDS, mintAccessToken } from '../../auth/access-token';
import { clearSessionCookies, sessionCookies } from '../../auth/cookies';
import { orgSigningKey } from '../../auth/org-keys';
import { redeemRefreshToken, REFRESH_TTL_SECONDS, revokeFamily, storeRefreshToken } from '../../auth/refresh-tokens';
import { loadUserState } from '../../auth/session-cache';
import { AppError } from '../../errors';
import { loadOrg, type CachedOrg } from '../../tenancy/org-cache';

/**
 * Issuing, refreshing and ending sessions. A session is a 15-minute access JWT plus a rotating
 * refresh token; both travel as host-only HttpOnly cookies (returned here as Set-Cookie values so
 * the route handlers stay thin).
 */
export interface IssuedSession {
  cookies: string[];
  userId: string;
}

async function activeOrg(slug: string): Promise<CachedOrg> {
  const org = await loadOrg(slug);
  if (!org || org.status !== 'active') throw new AppError('FORBIDDEN', 'This workspace is not available');
  return org;
}

export async function issueSession(
  slug: string,
  userId: string,
  family: string = randomUUID(),
  authAtMs = Date.now(),
): Promise<IssuedSession> {
  const org = await activeOrg(slug);
  const access = await mintAccessToken(orgSigningKey(org), { userId, slug, family });
  const refresh = await storeRefreshToken({ slug, userId, family, authAtMs });
  return {
    userId,
    cookies: sessionCookies({ token: access, maxAge: ACCESS_TTL_SECONDS }, { token: refresh, maxAge: REFRESH_TTL_SECONDS }),
  };
}

/** Rotate: the presented refresh token is spent, a new pair is issued in the same family. */
export async function refreshSession(slug: string, refreshToken: string | undefined): Promise<IssuedSession> {
  const expired = new AppError('UNAUTHORIZED', 'Your session has ended. Sign in again.');
  if (!refreshToken) throw expired;
  await activeOrg(slug);
  const res = await redeemRefreshToken(refreshToken, slug);
  if (!res.ok) throw expired;
  const { userId, family, authAtMs } = res.record;
  const state = await loadUserState(slug, userId);
  // Suspension, a role or password change after the original sign-in ends the whole family.
  if (!state || state.status !== 'active' || authAtMs <= state.validAfterMs) {
    await revokeFamily(family);
    throw expired;
  }
  return issueSession(slug, userId, family, authAtMs);
}

export async function endSession(slug: string, refreshToken: string | undefined): Promise<string[]> {
  if (refreshToken) {
    const res = await redeemRefreshToken(refreshToken, slug);
    if (res.ok) await revokeFamily(res.record.family);
  }
  return clearSessionCookies();
}
