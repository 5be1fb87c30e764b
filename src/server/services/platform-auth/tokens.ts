import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { getEnv } from '../../env';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';

/**
 * Platform tokens, HS256 with SUPER_ADMIN_JWT_SECRET and an audience naming the platform host, so
 * nothing signed for a tenant (other secrets anyway) or another deployment is accepted here.
 *
 *   session    the signed-in operator (cookie on the platform host only)
 *   challenge  between the password step and the second factor (or enrolment); single use
 *
 * Revocation: a token's jti on the revoked list (sign-out, used challenge), or an `iat` before the
 * admin's `sessionsValidAfter` (MFA change, sign-out everywhere).
 */
export type TokenType = 'session' | 'challenge';
export interface PlatformClaims {
  sub: string;
  email: string;
  typ: TokenType;
  stage?: 'totp' | 'enrol';
  jti: string;
  iat: number;
  /** Issue time in milliseconds: compared with sessionsValidAfter (a Date, ms precision). */
  iatMs: number;
  exp: number;
}

const key = () => new TextEncoder().encode(getEnv().SUPER_ADMIN_JWT_SECRET);
const audience = () => `platform:${getEnv().PLATFORM_HOST}`;
const revokedKey = (jti: string) => rkey('platform-auth', 'revoked', jti);

export async function signPlatformToken(
  claims: { sub: string; email: string; typ: TokenType; stage?: 'totp' | 'enrol' },
  ttlSeconds: number,
  issuedAtMs = Date.now(),
): Promise<{ token: string; jti: string; expiresAt: Date }> {
  const jti = randomUUID();
  const iat = Math.floor(issuedAtMs / 1000);
  const token = await new SignJWT({
    email: claims.email,
    typ: claims.typ,
    iatMs: issuedAtMs,
    ...(claims.stage ? { stage: claims.stage } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(audience())
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key());
  return { token, jti, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}

/** The claims, or null for anything forged, expired, revoked or of another type. */
export async function readPlatformToken(token: string | undefined | null, typ: TokenType): Promise<PlatformClaims | null> {
  if (!token || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, key(), { audience: audience(), algorithms: ['HS256'] });
    if (
      payload.typ !== typ ||
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.iatMs !== 'number'
    )
      return null;
    if (await redis().exists(revokedKey(payload.jti))) return null;
    return payload as unknown as PlatformClaims;
  } catch {
    return null;
  }
}

export async function requirePlatformToken(token: string | undefined | null, typ: TokenType): Promise<PlatformClaims> {
  const claims = await readPlatformToken(token, typ);
  if (!claims) {
    throw new AppError(
      'UNAUTHORIZED',
      typ === 'challenge' ? 'Your sign-in attempt expired. Start again.' : 'Sign in to continue',
    );
  }
  return claims;
}

export async function revokePlatformToken(claims: Pick<PlatformClaims, 'jti' | 'exp'>): Promise<void> {
  const ttl = Math.max(1, claims.exp - Math.floor(Date.now() / 1000));
  await redis().set(revokedKey(claims.jti), '1', 'EX', ttl);
}
