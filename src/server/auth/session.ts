/**
 * The seam between the skeleton and the identity layer (issue 5). Everything that needs "who is
 * signed in" (the tRPC `authed` procedure, `/api/realtime/token`, server components) calls these
 * two functions and nothing else. Until next-auth is configured they return null, so every
 * protected path answers 401 instead of guessing an identity.
 *
 * Issue 5 replaces the bodies: read the next-auth v5 session for the organisation the host resolved
 * to (its own secret), check the user's "valid after" stamp, and return the user.
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

export async function getSessionUser(_headers: Headers, _orgSlug: string): Promise<SessionUser | null> {
  return null;
}

export async function getSuperAdminSession(_headers: Headers): Promise<SuperAdminSession | null> {
  return null;
}
