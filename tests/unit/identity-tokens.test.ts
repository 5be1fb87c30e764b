import { describe, expect, it } from 'vitest';
import { mintAccessToken, verifyAccessToken } from '@/server/auth/access-token';
import { readCookie, serializeCookie } from '@/server/auth/cookies';
import { safeNext } from '@/server/auth/http';
import { orgSigningKey } from '@/server/auth/org-keys';
import { encryptSecret } from '@/server/crypto/secrets';
import { clientIp } from '@/server/services/rate-limit';

const org = (slug: string, id: string, secret: string) =>
  ({ slug, _id: id, auth: { jwtSecret: encryptSecret(secret, { scope: slug, field: 'auth.jwtSecret' }) } }) as never;
const userId = 'a'.repeat(24);

describe('per-organisation signing keys', () => {
  it('differ between organisations and change when the org secret rotates', () => {
    const a = orgSigningKey(org('acme', '1'.repeat(24), 's1'));
    const b = orgSigningKey(org('globex', '2'.repeat(24), 's1'));
    const a2 = orgSigningKey(org('acme', '1'.repeat(24), 's2'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(a2))).toBe(false);
  });

  it('a token of one organisation never verifies for another (key or audience)', async () => {
    const keyA = orgSigningKey(org('acme', '1'.repeat(24), 's1'));
    const keyB = orgSigningKey(org('globex', '2'.repeat(24), 's1'));
    const token = await mintAccessToken(keyA, { userId, slug: 'acme' });
    expect(await verifyAccessToken(keyA, 'acme', token)).toMatchObject({ userId, slug: 'acme' });
    expect(await verifyAccessToken(keyB, 'acme', token)).toBeNull();
    expect(await verifyAccessToken(keyA, 'globex', token)).toBeNull();
  });

  it('refuses expired tokens', async () => {
    const key = orgSigningKey(org('acme', '1'.repeat(24), 's1'));
    const token = await mintAccessToken(key, { userId, slug: 'acme', now: Date.now() - 16 * 60_000 });
    expect(await verifyAccessToken(key, 'acme', token)).toBeNull();
  });
});

describe('cookies and redirects', () => {
  it('session cookies are host-only and HttpOnly', () => {
    const c = serializeCookie('cop_session', 'v', { maxAge: 60 });
    expect(c).toMatch(/HttpOnly/);
    expect(c).toMatch(/SameSite=Lax/);
    expect(c).not.toMatch(/Domain/i);
  });

  it('reads one cookie among many and survives junk', () => {
    expect(readCookie(new Headers({ cookie: 'a=1; cop_session=x%20y; b=2' }), 'cop_session')).toBe('x y');
    expect(readCookie(new Headers({ cookie: 'cop_session=%E0%A4%A' }), 'cop_session')).toBeUndefined();
    expect(readCookie(new Headers(), 'cop_session')).toBeUndefined();
  });

  it.each(['//evil.test', '/\\evil.test', 'https://evil.test', 'javascript:alert(1)', ''])('never redirects to %s', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('keeps same-site paths', () => {
    expect(safeNext('/account?tab=1')).toBe('/account?tab=1');
  });
});

describe('client IP for rate-limit keys', () => {
  it('uses the first hop only behind a trusted proxy', () => {
    const h = new Headers({ 'x-forwarded-for': '1.1.1.1, 10.0.0.9' });
    expect(clientIp(h, true)).toBe('1.1.1.1');
    expect(clientIp(h, false)).toBe('10.0.0.9');
  });
});
