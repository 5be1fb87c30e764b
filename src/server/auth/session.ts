import { loadOrg } from '../tenancy/org-cache';
import { verifyAccessToken } from './access-token';
import { ACCESS_COOKIE, readCookie } from './cookies';
import { orgSigningKey } from './org-keys';
import { loadUserState, sessionStillValid } from './session-cache';
import { verifiedTokens } from './verified-tokens';

/**
 * The seam everything that needs "who is signed in" calls (the tRPC `authed` procedure,
 * `/api/realtime/token`, server components). It reads the access cookie of the organisation the host
 * resolved to, verifies it with that organisation's own key, and checks the user is still active and
 * that the session was issued after the user's `sessionsValidAfter` stamp (cached, invalidated by
 * revocation events). Anything wrong yields null, never an exception.
 */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  /** Name of a role in org.roles[]. */
  role: string;
  teamIds: string[];
  branchId?: string | null;
  /** Seconds since epoch; tokens minted from this session carry it so revocation can reject them. */
  issuedAt?: number;
}

export interface SuperAdminSession {
  id: string;
  email: string;
  mfa: boolean;
}

export async function getSessionUser(headers: Headers, orgSlug: string): Promise<SessionUser | null> {
  const token = readCookie(headers, ACCESS_COOKIE);
  if (!token) return null;
  const org = await loadOrg(orgSlug);
  if (!org || org.status !== 'active') return null;
  const claims = await verifiedTokens.verify(org, token, (key) => verifyAccessToken(key, orgSlug, token), orgSigningKey);
  if (!claims || claims.expiresAt <= Date.now()) return null;
  const state = await loadUserState(orgSlug, claims.userId);
  if (!sessionStillValid(state, claims.issuedAtMs)) return null;
  return {
    id: state.id,
    email: state.email,
    name: state.name,
    role: state.role,
    teamIds: state.teamIds,
    branchId: state.branchId,
    issuedAt: claims.issuedAtMs / 1000,
  };
}

/** Platform host only, password + TOTP: src/server/services/platform-auth/session.ts. */
export async function getSuperAdminSession(headers: Headers): Promise<SuperAdminSession | null> {
  const { getSuperAdminSession: platformSession } = await import('../services/platform-auth/session');
  return platformSession(headers);
}
