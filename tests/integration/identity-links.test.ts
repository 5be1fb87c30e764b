import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acceptInvite } from '@/app/api/session/accept-invite/route';
import { POST as forgot } from '@/app/api/session/forgot/route';
import { POST as reset } from '@/app/api/session/reset/route';
import { POST as signIn } from '@/app/api/session/sign-in/route';
import { getSessionUser } from '@/server/auth/session';
import { platformModels } from '@/server/db/models/platform';
import { tenantModels } from '@/server/tenancy/connections';
import { invalidateOrg } from '@/server/tenancy/org-cache';
import { inviteUser } from '@/server/services/identity/invitations';
import { startSmtpCapture, linkIn } from '../support/smtp';
import { cookieHeader, cookiesOf, orgWithUser, req } from './identity-helpers';
import { startTenancy, stopTenancy } from './tenancy-helpers';

let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let org: Awaited<ReturnType<typeof orgWithUser>>;
const tokenOf = (link: string) => link.split('/').pop()!;

beforeAll(async () => {
  await startTenancy();
  smtp = await startSmtpCapture();
  org = await orgWithUser({ prefix: 'idlnk' });
  // The organisation's own sender settings: its SMTP server and from-address.
  await platformModels().Organization.updateOne(
    { slug: org.slug },
    {
      $set: {
        email: {
          provider: 'smtp',
          smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
          fromName: 'Acme Support',
          fromEmail: 'support@acme.test',
        },
      },
    },
  );
  invalidateOrg(org.slug);
}, 60_000);
afterAll(async () => {
  await smtp.close();
  await stopTenancy();
});

async function invite(email: string) {
  const before = smtp.mails.length;
  await inviteUser(org.slug, { email, role: 'Agent' }, org.userId, `http://${org.host}:3000`);
  const mail = smtp.mails[before]!;
  expect(mail.from).toBe('support@acme.test');
  expect(mail.to).toEqual([email]);
  expect(mail.raw).toContain('Acme Support');
  return tokenOf(linkIn(mail, '/invite'));
}

describe('invitations', () => {
  it('accepting sets the password, activates the user and signs in; the link then is spent', async () => {
    const token = await invite('new.agent@acme.test');
    const user = await tenantModels(org.slug).User.findOne({ email: 'new.agent@acme.test' }).lean();
    expect(user).toMatchObject({ status: 'invited', role: 'Agent' });
    const res = await acceptInvite(
      req(org.host, '/api/session/accept-invite', { body: { token, password: 'A-long-enough-pass' } }),
    );
    expect(res.status).toBe(200);
    expect(await getSessionUser(new Headers({ host: org.host, cookie: cookieHeader(cookiesOf(res)) }), org.slug)).toMatchObject({
      email: 'new.agent@acme.test',
    });
    const replay = await acceptInvite(
      req(org.host, '/api/session/accept-invite', { body: { token, password: 'Another-long-pass' } }),
    );
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toMatch(/invalid, expired or already used/);
    // The replay changed nothing: the first password still works, the second does not.
    const ok = await signIn(
      req(org.host, '/api/session/sign-in', { body: { email: 'new.agent@acme.test', password: 'A-long-enough-pass' } }),
    );
    expect(ok.status).toBe(200);
  });

  it('an expired invitation is refused and leaves the user invited', async () => {
    const token = await invite('late@acme.test');
    await tenantModels(org.slug)
      .User.db.collection('auth_tokens')
      .updateMany({ kind: 'invite' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await acceptInvite(
      req(org.host, '/api/session/accept-invite', { body: { token, password: 'A-long-enough-pass' } }),
    );
    expect(res.status).toBe(400);
    expect(await tenantModels(org.slug).User.findOne({ email: 'late@acme.test' }).lean()).toMatchObject({ status: 'invited' });
  });

  it.each([
    { token: { $ne: null }, password: 'A-long-enough-pass' },
    { token: 'x', password: { $gt: '' } },
    { token: 'x'.repeat(43), password: 'short' },
  ])('refuses %j', async (body) => {
    const res = await acceptInvite(req(org.host, '/api/session/accept-invite', { body, ip: '10.3.3.3' }));
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses an unknown role', async () => {
    await expect(inviteUser(org.slug, { email: 'r@acme.test', role: 'Overlord' }, null, 'http://x')).rejects.toThrow(
      /Unknown role/,
    );
  });
});

describe('password reset', () => {
  it('answers the same for unknown addresses and sends nothing', async () => {
    const before = smtp.mails.length;
    const res = await forgot(req(org.host, '/api/session/forgot', { body: { email: 'ghost@acme.test' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(smtp.mails.length).toBe(before);
  });

  it('resets once, revokes old sessions, and the link cannot be replayed', async () => {
    const session = cookiesOf(
      await signIn(req(org.host, '/api/session/sign-in', { body: { email: org.email, password: org.password } })),
    );
    const before = smtp.mails.length;
    expect((await forgot(req(org.host, '/api/session/forgot', { body: { email: org.email } }))).status).toBe(200);
    const token = tokenOf(linkIn(smtp.mails[before]!, '/reset'));
    const res = await reset(req(org.host, '/api/session/reset', { body: { token, password: 'Brand-new-password-1' } }));
    expect(res.status).toBe(200);
    expect(await getSessionUser(new Headers({ host: org.host, cookie: cookieHeader(session) }), org.slug)).toBeNull();
    const replay = await reset(req(org.host, '/api/session/reset', { body: { token, password: 'Attacker-password-2' } }));
    expect(replay.status).toBe(400);
    expect(
      (await signIn(req(org.host, '/api/session/sign-in', { body: { email: org.email, password: 'Brand-new-password-1' } })))
        .status,
    ).toBe(200);
  });

  it('refuses operator payloads for the email and the reset token', async () => {
    const res = await forgot(req(org.host, '/api/session/forgot', { body: { email: { $ne: null } }, ip: '10.4.4.4' }));
    expect(res.status).toBe(400);
    for (const body of [
      { token: { $ne: null }, password: 'Attacker-password-3' },
      { token: { $gt: '' }, password: 'Attacker-password-3' },
    ]) {
      const r = await reset(req(org.host, '/api/session/reset', { body, ip: '10.4.4.5' }));
      expect(r.status).toBe(400);
    }
    // Nothing changed: the account still has its password.
    expect(
      (
        await signIn(
          req(org.host, '/api/session/sign-in', { body: { email: org.email, password: 'Brand-new-password-1' }, ip: '10.4.4.6' }),
        )
      ).status,
    ).toBe(200);
  });
});
