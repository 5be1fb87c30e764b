import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { getEnv } from '../../env';
import { AppError } from '../../errors';

/**
 * Web-chat visitor identity: a signed token the widget keeps in localStorage, so a visitor is the
 * same customer across reloads and visits. It names the organisation and the inbox, so it opens
 * only that inbox's conversation (HTTP) and visitor room (socket). Its key is derived from
 * REALTIME_TOKEN_SECRET with a distinct label, so an agent's socket token can never pass as a
 * visitor's or the reverse.
 */
const ISSUER = 'cop-widget';
const TTL = '365d';
const claims = z.object({ sub: z.string().regex(/^v_[0-9a-f]{24}$/), org: z.string().min(1), ibx: z.string().min(1) });

export interface Visitor {
  visitorId: string;
  slug: string;
  inboxPublicId: string;
}

function key(): Uint8Array {
  return createHash('sha256').update(`widget-visitor\u0000${getEnv().REALTIME_TOKEN_SECRET}`).digest();
}

export function newVisitorId(): string {
  return `v_${randomBytes(12).toString('hex')}`;
}

export function mintVisitorToken(v: Visitor): Promise<string> {
  return new SignJWT({ org: v.slug, ibx: v.inboxPublicId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(v.visitorId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(TTL)
    .sign(key());
}

export async function verifyVisitorToken(token: unknown): Promise<Visitor> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 2048)
    throw new AppError('UNAUTHORIZED', 'Missing visitor token');
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: ISSUER, algorithms: ['HS256'] });
    const c = claims.parse(payload);
    return { visitorId: c.sub, slug: c.org, inboxPublicId: c.ibx };
  } catch {
    throw new AppError('UNAUTHORIZED', 'Invalid visitor token');
  }
}
