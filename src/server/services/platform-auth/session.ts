import type { SuperAdminSession } from '../../auth/session';
import { connectMongo } from '../../db/mongo';
import { platformModels } from '../../db/models/platform';
import { getEnv } from '../../env';
import { classifyHost, hostFromHeaders } from '../../tenancy/host';
import { readCookie } from './cookies';
import { signPlatformToken, readPlatformToken, type PlatformClaims } from './tokens';
import { signInPolicy } from './policy';

/**
 * The super-admin session behind every platform procedure and page. Only the platform host counts
 * (a platform cookie replayed against a tenant host is ignored), and the record is re-read on every
 * request so a lockout, MFA change or "sign out everywhere" is in force at once.
 */
export interface PlatformSession extends SuperAdminSession {
  displayName: string;
  sessionId: string;
  expiresAt: number;
  recoveryCodesLeft: number;
}

export function isPlatformHost(headers: Headers): boolean {
  const env = getEnv();
  const host = hostFromHeaders(headers, { trustProxy: env.TRUST_PROXY });
  return classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST }).kind === 'platform';
}

export async function sessionFromClaims(claims: PlatformClaims): Promise<PlatformSession | null> {
  await connectMongo();
  const admin = await platformModels()
    .SuperAdmin.findById(claims.sub)
    .select({ email: 1, displayName: 1, mfaEnabled: 1, sessionsValidAfter: 1, lockedUntil: 1, recoveryCodes: 1 })
    .lean()
    .catch(() => null);
  if (!admin || !admin.mfaEnabled) return null;
  if (admin.sessionsValidAfter && claims.iatMs <= admin.sessionsValidAfter.getTime()) return null;
  if (admin.lockedUntil && admin.lockedUntil.getTime() > Date.now()) return null;
  return {
    id: String(admin._id),
    email: admin.email,
    displayName: admin.displayName,
    mfa: true,
    sessionId: claims.jti,
    expiresAt: claims.exp,
    recoveryCodesLeft: admin.recoveryCodes?.length ?? 0,
  };
}

export async function getSuperAdminSession(headers: Headers): Promise<PlatformSession | null> {
  if (!isPlatformHost(headers)) return null;
  const claims = await readPlatformToken(readCookie(headers, 'session'), 'session');
  return claims ? sessionFromClaims(claims) : null;
}

/** `after`: the session must survive a sessionsValidAfter just set to this instant (MFA change). */
export function issueSession(admin: { id: string; email: string }, after?: number) {
  const issuedAt = after === undefined ? Date.now() : Math.max(Date.now(), after + 1);
  return signPlatformToken({ sub: admin.id, email: admin.email, typ: 'session' }, signInPolicy.sessionTtlSeconds, issuedAt);
}
