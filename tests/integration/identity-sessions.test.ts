import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/session/sign-in/route';
import { POST as refresh } from '@/app/api/session/refresh/route';
import { POST as signOut } from '@/app/api/session/sign-out/route';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '@/server/auth/cookies';
import { getSessionUser } from '@/server/auth/session';
import { revokeUserSessions, suspendUser } from '@/server/services/identity/revocation';
import { suspendOrganization } from '@/server/tenancy/lifecycle';
import { setOrgSecrets } from '@/server/tenancy/org-settings';
import { cookieHeader, cookiesOf, orgWithUser, req } from './identity-helpers';
import { startTenancy, stopTenancy } from './tenancy-helpers';

let a: Awaited<ReturnType<typeof orgWithUser>>;
let b: Awaited<ReturnType<typeof orgWithUser>>;
const sessionOf = (host: string, cookies: Record<string, string>) => new Headers({ host, cookie: cookieHeader(cookies) });
const op = { type: 'superadmin' as const, email: 'ops@platform.test' };

async function signedIn(org: typeof a) {
  const res = await signIn(
    req(org.host, '/api/session/sign-in', { body: { email: org.email, password: org.password }, ip: org.slug }),
  );
  expect(res.status).toBe(200);
  return cookiesOf(res);
}

beforeAll(async () => {
  await startTenancy();
  [a, b] = await Promise.all([orgWithUser({ prefix: 'ida' }), orgWithUser({ prefix: 'idb' })]);
}, 60_000);
afterAll(stopTenancy);

describe('password sign-in', () => {
  it('sets host-only HttpOnly cookies and the session resolves to the user', async () => {
    const res = await signIn(
      req(a.host, '/api/session/sign-in', { body: { email: a.email.toUpperCase(), password: a.password } }),
    );
    expect(res.status).toBe(200);
    for (const c of res.headers.getSetCookie()) {
      expect(c).toMatch(/HttpOnly/);
      expect(c).not.toMatch(/Domain=/i);
    }
    const user = await getSessionUser(sessionOf(a.host, cookiesOf(res)), a.slug);
    expect(user).toMatchObject({ id: a.userId, email: a.email, role: 'Admin' });
  });

  it('refuses a wrong password and an unknown email with the same words', async () => {
    const wrong = await signIn(
      req(a.host, '/api/session/sign-in', { body: { email: a.email, password: 'nope' }, ip: '10.1.1.1' }),
    );
    const unknown = await signIn(
      req(a.host, '/api/session/sign-in', { body: { email: 'ghost@x.test', password: 'nope' }, ip: '10.1.1.1' }),
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    { email: { $ne: null }, password: 'x' },
    { email: 'a@b.test', password: { $gt: '' } },
    { email: { $regex: '.*' }, password: { $ne: 1 } },
    { email: 'a@b.test', password: 'x', $where: '1' },
  ])('refuses operator payload %j without a session', async (body) => {
    const res = await signIn(req(a.host, '/api/session/sign-in', { body, ip: '10.2.2.2' }));
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses malformed JSON', async () => {
    const res = await signIn(req(a.host, '/api/session/sign-in', { body: '{"email":', ip: '10.2.2.3' }));
    expect(res.status).toBe(400);
  });
});

describe('cookies and tokens', () => {
  it('a session of organisation A is worthless on organisation B', async () => {
    const cookies = await signedIn(a);
    expect(await getSessionUser(sessionOf(b.host, cookies), b.slug)).toBeNull();
    const res = await refresh(req(b.host, '/api/session/refresh', { cookie: cookieHeader(cookies) }));
    expect(res.status).toBe(401);
  });

  it('a tampered JWT (payload, signature, alg none) is refused', async () => {
    const cookies = await signedIn(a);
    const [h, p, s] = cookies[ACCESS_COOKIE]!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: b.userId })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const token of [`${h}.${forged}.${s}`, `${h}.${p}.${s!.slice(0, -2)}xx`, `${none}.${p}.`, 'garbage', '']) {
      expect(await getSessionUser(sessionOf(a.host, { [ACCESS_COOKIE]: token }), a.slug)).toBeNull();
    }
  });

  it('refresh rotates; replaying a spent refresh token revokes the family', async () => {
    const first = await signedIn(a);
    const r1 = await refresh(req(a.host, '/api/session/refresh', { cookie: cookieHeader(first) }));
    expect(r1.status).toBe(200);
    const second = cookiesOf(r1);
    expect(second[REFRESH_COOKIE]).not.toBe(first[REFRESH_COOKIE]);
    // The thief replays the old one: refused, and the legitimate new one dies with it.
    expect((await refresh(req(a.host, '/api/session/refresh', { cookie: cookieHeader(first) }))).status).toBe(401);
    expect((await refresh(req(a.host, '/api/session/refresh', { cookie: cookieHeader(second) }))).status).toBe(401);
  });

  it('sign-out spends the refresh token', async () => {
    const cookies = await signedIn(a);
    const out = await signOut(req(a.host, '/api/session/sign-out', { cookie: cookieHeader(cookies) }));
    expect(out.headers.getSetCookie().every((c) => /Max-Age=0/.test(c))).toBe(true);
    expect((await refresh(req(a.host, '/api/session/refresh', { cookie: cookieHeader(cookies) }))).status).toBe(401);
  });

  it("rotating the organisation's secret voids its sessions", async () => {
    const c = await orgWithUser({ prefix: 'idrot' });
    const cookies = await signedIn(c);
    expect(await getSessionUser(sessionOf(c.host, cookies), c.slug)).not.toBeNull();
    await setOrgSecrets(c.slug, { 'auth.jwtSecret': 'a-brand-new-org-secret-0123456789abcdef' } as never, op);
    expect(await getSessionUser(sessionOf(c.host, cookies), c.slug)).toBeNull();
  });
});

describe('revocation in this process', () => {
  it('revoking sessions voids access and refresh at once; a new sign-in works', async () => {
    const cookies = await signedIn(a);
    expect(await getSessionUser(sessionOf(a.host, cookies), a.slug)).not.toBeNull();
    await revokeUserSessions(a.slug, a.userId);
    expect(await getSessionUser(sessionOf(a.host, cookies), a.slug)).toBeNull();
    expect((await refresh(req(a.host, '/api/session/refresh', { cookie: cookieHeader(cookies) }))).status).toBe(401);
    const again = await signedIn(a);
    expect(await getSessionUser(sessionOf(a.host, again), a.slug)).not.toBeNull();
  });

  it('a suspended user cannot sign in or use an old session', async () => {
    const c = await orgWithUser({ prefix: 'idsus' });
    const cookies = await signedIn(c);
    await suspendUser(c.slug, c.userId);
    expect(await getSessionUser(sessionOf(c.host, cookies), c.slug)).toBeNull();
    const res = await signIn(req(c.host, '/api/session/sign-in', { body: { email: c.email, password: c.password } }));
    expect(res.status).toBe(401);
  });
});

describe('organisation suspension', () => {
  it('voids every session of the organisation while suspended', async () => {
    const c = await orgWithUser({ prefix: 'idorg' });
    const cookies = await signedIn(c);
    await suspendOrganization(c.slug, op, 'test');
    expect(await getSessionUser(sessionOf(c.host, cookies), c.slug)).toBeNull();
    expect((await refresh(req(c.host, '/api/session/refresh', { cookie: cookieHeader(cookies) }))).status).toBe(403);
    const res = await signIn(req(c.host, '/api/session/sign-in', { body: { email: c.email, password: c.password } }));
    expect(res.status).toBe(403);
  });
});

describe('rate limits', () => {
  it('locks an account after 5 failures, even for the right password, with 429 + Retry-After', async () => {
    const c = await orgWithUser({ prefix: 'idlock' });
    for (let i = 0; i < 5; i++) {
      const res = await signIn(
        req(c.host, '/api/session/sign-in', { body: { email: c.email, password: `bad-${i}` }, ip: `10.9.0.${i}` }),
      );
      expect(res.status).toBe(401);
    }
    const locked = await signIn(
      req(c.host, '/api/session/sign-in', { body: { email: c.email, password: c.password }, ip: '10.9.1.1' }),
    );
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits one IP per organisation (${slug}:${ip}) but not another organisation', async () => {
    const c = await orgWithUser({ prefix: 'idip' });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await signIn(req(c.host, '/api/session/sign-in', { body: { email: `x${i}@y.test` }, ip: '10.7.7.7' }));
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    const other = await signIn(req(a.host, '/api/session/sign-in', { body: { email: 'x@y.test' }, ip: '10.7.7.7' }));
    expect(other.status).toBe(400);
  });
});
