import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/platform/auth/[action]/route';
import { POST as realtimeToken } from '@/app/api/realtime/token/route';
import { GET as askTls } from '@/app/api/tls/ask/route';
import { GET as orgConfig } from '@/app/api/v1/org/config/route';
import { platformModels } from '@/server/db/models/platform';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { suspendOrganization, reactivateOrganization } from '@/server/tenancy/lifecycle';
import { setOrgSecrets } from '@/server/tenancy/org-settings';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';
import { upsertSuperAdmin } from '@/server/services/platform-auth';
import { enrolledSuperAdmin, TEST_ADMIN_PASSWORD, totpCode } from '../helpers/super-admin';

/**
 * The HTTP entry points of the multi-tenant shell, called as Next calls them (a Request in, a
 * Response out): public config per host, the TLS ask, the operator sign-in endpoints, and what a
 * suspended organisation's API answers.
 */
let orgA: string;
let orgB: string;
const SECRET = 'plain-twilio-token-that-must-never-leak';
const get = (host: string, path: string) => new Request(`http://${host}${path}`, { headers: { host } });

beforeAll(async () => {
  await startTenancy();
  orgA = randomSlug('ha');
  orgB = randomSlug('hb');
  await provisionOrganization({
    slug: orgA,
    name: 'Alpha',
    branding: { appName: 'Alpha Desk', colors: { primary: '#111111' } },
    firstAdmin: { email: 'a@a.test' },
  });
  await provisionOrganization({
    slug: orgB,
    name: 'Beta',
    branding: { appName: 'Beta Desk', colors: { primary: '#222222' } },
    auth: {
      method: 'oidc',
      oidc: { issuer: 'https://idp.example.com', clientId: 'beta', clientSecret: 'oidc-client-secret-value' },
    },
    firstAdmin: { email: 'a@b.test' },
  });
  await setOrgSecrets(orgA, { 'twilio.authToken': SECRET, 'meta.appSecret': `${SECRET}-meta` }, { type: 'system' });
});
afterAll(stopTenancy);

describe('GET /api/v1/org/config', () => {
  it('answers per host with public fields only', async () => {
    const [a, b] = await Promise.all([
      orgConfig(get(`${orgA}.localhost`, '/api/v1/org/config')),
      orgConfig(get(`${orgB}.localhost`, '/api/v1/org/config')),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ja, jb] = [await a.text(), await b.text()];
    expect(JSON.parse(ja)).toMatchObject({
      slug: orgA,
      name: 'Alpha',
      branding: { appName: 'Alpha Desk', colors: { primary: '#111111' } },
      signIn: { methods: ['password'] },
    });
    expect(JSON.parse(jb)).toMatchObject({
      slug: orgB,
      branding: { appName: 'Beta Desk', colors: { primary: '#222222' } },
      signIn: { methods: ['oidc'] },
    });
    for (const body of [ja, jb]) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain('oidc-client-secret-value');
      expect(body).not.toMatch(/enc:v1|dbName|jwtSecret|clientSecret|authToken|appSecret|passwordHash|clientId/i);
    }
    expect(a.headers.get('vary')).toBe('Host');
    const again = await orgConfig(
      new Request('http://x/api/v1/org/config', {
        headers: { host: `${orgA}.localhost`, 'if-none-match': a.headers.get('etag')! },
      }),
    );
    expect(again.status).toBe(304);
  });

  it('is 404 for unknown workspaces and the platform host, and ignores a spoofed X-Forwarded-Host', async () => {
    expect((await orgConfig(get('nobody-here.localhost', '/api/v1/org/config'))).status).toBe(404);
    expect((await orgConfig(get('admin.localhost', '/api/v1/org/config'))).status).toBe(404);
    const spoof = new Request('http://x/api/v1/org/config', {
      headers: { host: `${orgA}.localhost`, 'x-forwarded-host': `${orgB}.localhost` },
    });
    expect((await (await orgConfig(spoof)).json()).slug).toBe(orgA);
  });
});

describe('a suspended organisation', () => {
  it('refuses its API calls and says it is suspended, until reactivated', async () => {
    await suspendOrganization(orgB, { type: 'system' }, 'test');
    const res = await orgConfig(get(`${orgB}.localhost`, '/api/v1/org/config'));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'suspended', branding: { appName: 'Beta Desk' } });
    await expect(createCaller(createInnerContext({ host: `${orgB}.localhost` })).org.current()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      (
        await realtimeToken(
          new Request(`http://${orgB}.localhost/api/realtime/token`, { method: 'POST', headers: { host: `${orgB}.localhost` } }),
        )
      ).status,
    ).toBe(403);
    await reactivateOrganization(orgB, { type: 'system' });
    expect((await orgConfig(get(`${orgB}.localhost`, '/api/v1/org/config'))).status).toBe(200);
  });
});

describe('GET /api/tls/ask (Caddy on-demand TLS)', () => {
  it('says yes only for known subdomains, verified custom domains and the platform host', async () => {
    const verified = `${orgA}-ok.example.net`;
    const pending = `${orgA}-pending.example.net`;
    await platformModels().DomainMapping.create({
      domain: verified,
      orgSlug: orgA,
      dnsVerificationToken: 't1',
      verified: true,
      verifiedAt: new Date(),
    });
    await platformModels().DomainMapping.create({ domain: pending, orgSlug: orgA, dnsVerificationToken: 't2' });
    const ask = async (domain: string) =>
      (await askTls(get('127.0.0.1:3000', `/api/tls/ask?domain=${encodeURIComponent(domain)}`))).status;
    expect(await ask(`${orgA}.localhost`)).toBe(200);
    expect(await ask(verified)).toBe(200);
    expect(await ask('admin.localhost')).toBe(200);
    expect(await ask(pending)).toBe(404);
    expect(await ask('unknown-workspace.localhost')).toBe(404);
    expect(await ask('random.example.org')).toBe(404);
    expect(await ask('10.0.0.1')).toBe(404);
    expect((await askTls(get('127.0.0.1:3000', '/api/tls/ask'))).status).toBe(400);
  });
});

describe('POST /api/platform/auth/*', () => {
  const post = (host: string, action: string, body: unknown, cookie = '') =>
    authPost(
      new Request(`http://${host}/api/platform/auth/${action}`, {
        method: 'POST',
        headers: { host, cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      {
        params: Promise.resolve({ action }),
      },
    );
  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];

  it('signs in on the platform host only, with host-only strict cookies, and the session then reaches platform procedures', async () => {
    const a = await enrolledSuperAdmin();
    expect((await post(`${orgA}.localhost`, 'password', { email: a.email, password: TEST_ADMIN_PASSWORD })).status).toBe(404);
    expect((await post('admin.localhost', 'no-such-action', {})).status).toBe(404);
    const step = await post('admin.localhost', 'password', { email: a.email, password: TEST_ADMIN_PASSWORD });
    expect(await step.json()).toEqual({ stage: 'totp' });
    const challenge = cookieOf(step, 'platform_challenge')!;
    const wrong = await post('admin.localhost', 'second-factor', { code: '000000' }, challenge);
    expect(wrong.status).toBe(401);
    const ok = await post('admin.localhost', 'second-factor', { code: await totpCode(a.secret, 1) }, challenge);
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.getSetCookie().find((c) => c.startsWith('platform_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const session = cookieOf(ok, 'platform_session')!;
    const me = await createCaller(
      createInnerContext({ host: 'admin.localhost', headers: new Headers({ host: 'admin.localhost', cookie: session }) }),
    ).platform.me();
    expect(me.email).toBe(a.email);
    // Sign-out revokes the token itself, not just the cookie.
    await post('admin.localhost', 'sign-out', {}, session);
    await expect(
      createCaller(
        createInnerContext({ host: 'admin.localhost', headers: new Headers({ host: 'admin.localhost', cookie: session }) }),
      ).platform.me(),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('enrols at first sign-in through the endpoints, and a second early challenge cannot replace the new factor', async () => {
    const email = `first-${orgA}@platform.test`;
    await upsertSuperAdmin({ email, password: TEST_ADMIN_PASSWORD });
    const stepOne = await post('admin.localhost', 'password', { email, password: TEST_ADMIN_PASSWORD });
    const stepTwo = await post('admin.localhost', 'password', { email, password: TEST_ADMIN_PASSWORD });
    expect(await stepOne.json()).toEqual({ stage: 'enrol' });
    const [one, two] = [cookieOf(stepOne, 'platform_challenge')!, cookieOf(stepTwo, 'platform_challenge')!];
    const setup = (await (await post('admin.localhost', 'enrol-start', {}, one)).json()) as { secret: string; qrDataUrl: string };
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const done = await post('admin.localhost', 'enrol-confirm', { code: await totpCode(setup.secret) }, one);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    expect(cookieOf(done, 'platform_session')).toBeDefined();
    expect((await post('admin.localhost', 'enrol-start', {}, two)).status).toBe(401);
    expect((await post('admin.localhost', 'enrol-confirm', { code: '123456' }, two)).status).toBe(401);
    // Without a session or challenge, MFA endpoints are closed.
    expect((await post('admin.localhost', 'recovery-codes', {})).status).toBe(401);
  });

  it('answers 429 with Retry-After when slowed down, and refuses non-JSON posts', async () => {
    const a = await enrolledSuperAdmin();
    let res: Response | undefined;
    for (let i = 0; i < 5 && res?.status !== 429; i++)
      res = await post('admin.localhost', 'password', { email: a.email, password: 'nope-nope-nope' });
    expect(res?.status).toBe(429);
    expect(Number(res?.headers.get('retry-after'))).toBeGreaterThan(0);
    const form = new Request('http://admin.localhost/api/platform/auth/password', {
      method: 'POST',
      headers: { host: 'admin.localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a',
    });
    expect((await authPost(form, { params: Promise.resolve({ action: 'password' }) })).status).toBe(415);
  });
});
