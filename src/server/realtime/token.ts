import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { getEnv } from '../env';
import { AppError } from '../errors';

/**
 * Short-lived socket handshake tokens. The web app mints one for the signed-in user of the
 * organisation the request's host resolved to; the realtime server verifies it and joins the socket
 * to that organisation's rooms only. The client sends it in `socket.handshake.auth`, never in the
 * query string (query strings end up in proxy logs).
 */
const ISSUER = 'cop-web';
const AUDIENCE = 'cop-realtime';
export const REALTIME_TOKEN_TTL_SECONDS = 60;

export interface RealtimeIdentity {
  userId: string;
  slug: string;
  /** Sessions issued before a user's "valid after" stamp are rejected by the identity layer. */
  sessionIssuedAt?: number;
}

const claims = z.object({ sub: z.string().min(1), org: z.string().min(1), sia: z.number().optional() });

function key(): Uint8Array {
  return new TextEncoder().encode(getEnv().REALTIME_TOKEN_SECRET);
}

export async function mintRealtimeToken(identity: RealtimeIdentity, ttlSeconds = REALTIME_TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({ org: identity.slug, ...(identity.sessionIssuedAt ? { sia: identity.sessionIssuedAt } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key());
}

export async function verifyRealtimeToken(token: unknown): Promise<RealtimeIdentity> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new AppError('UNAUTHORIZED', 'Missing realtime token');
  }
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const c = claims.parse(payload);
    return { userId: c.sub, slug: c.org, sessionIssuedAt: c.sia };
  } catch (err) {
    const reason = err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
    throw new AppError('UNAUTHORIZED', `Realtime token ${reason}`);
  }
}
