import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformModels } from '@/server/db/models/platform';
import {
  getSuperAdminSession,
  reauthenticate,
  regenerateRecoveryCodes,
  revokePlatformToken,
  readPlatformToken,
  signInPolicy,
  signInSecondFactor,
  signInWithPassword,
  signOutEverywhere,
} from '@/server/services/platform-auth';
import { startTenancy, stopTenancy } from './tenancy-helpers';
import { codeOf } from '../helpers/error-code';
import { enrolledSuperAdmin, TEST_ADMIN_PASSWORD, totpCode } from '../helpers/super-admin';

/** Super-admin sign-in against the real Redis and the embedded MongoDB: password + TOTP, no shortcuts. */
const cookieHeaders = (host: string, token: string) => new Headers({ host, cookie: `other=1; platform_session=${token}` });

beforeAll(async () => {
  await startTenancy();
  // Short delays and an early lockout, so the lockout test takes seconds, not minutes.
  Object.assign(signInPolicy, { slowAfter: 2, lockAfter: 4, baseDelayMs: 800, maxDelayMs: 800 });
});
afterAll(stopTenancy);

describe('super-admin sign-in', () => {
  it('enrols at first sign-in and then needs password and a TOTP code', async () => {
    const a = await enrolledSuperAdmin();
    expect(a.recoveryCodes).toHaveLength(10);
    const step = await signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client);
    expect(step.stage).toBe('totp');
    const { session } = await signInSecondFactor(step.challenge, { code: await totpCode(a.secret, 1) }, a.client);
    const me = await getSuperAdminSession(cookieHeaders('admin.localhost', session.token));
    expect(me).toMatchObject({ id: a.id, email: a.email, mfa: true });
    // The stored admin carries no readable secret.
    const raw = await platformModels().SuperAdmin.collection.findOne({ email: a.email });
    expect(String(raw?.mfaSecret)).toMatch(/^enc:v1:/);
    expect(JSON.stringify(raw)).not.toContain(a.secret);
    expect(JSON.stringify(raw)).not.toContain(a.recoveryCodes[0]);
  });

  it('refuses a wrong password and an unknown email with the same message', async () => {
    const a = await enrolledSuperAdmin();
    await expect(signInWithPassword({ email: a.email, password: 'wrong-password-123' }, a.client)).rejects.toThrow(
      'Wrong email or password',
    );
    await expect(signInWithPassword({ email: 'nobody@platform.test', password: 'x' }, a.client)).rejects.toThrow(
      'Wrong email or password',
    );
    expect(await codeOf(signInWithPassword({ email: { $ne: null }, password: 'x' }, a.client))).toBe('BAD_REQUEST');
  });

  it('refuses a wrong code, and a correct code used a second time', async () => {
    const a = await enrolledSuperAdmin();
    const step = await signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client);
    expect(await codeOf(signInSecondFactor(step.challenge, { code: '000000' }, a.client))).toBe('UNAUTHORIZED');
    const code = await totpCode(a.secret, 1);
    expect(await codeOf(signInSecondFactor(step.challenge, { code }, a.client))).toBe('OK');
    // The challenge is single use, and the code is spent even with a fresh challenge.
    expect(await codeOf(signInSecondFactor(step.challenge, { code }, a.client))).toBe('UNAUTHORIZED');
    const again = await signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client);
    await expect(signInSecondFactor(again.challenge, { code }, a.client)).rejects.toThrow(/already used/);
    // A code of an older step than the last accepted one is refused too.
    expect(await codeOf(signInSecondFactor(again.challenge, { code: await totpCode(a.secret, 0) }, a.client))).toBe(
      'UNAUTHORIZED',
    );
  });

  it('slows down after a few failures and then locks the account, even for the right password', async () => {
    const a = await enrolledSuperAdmin();
    const wrong = () => signInWithPassword({ email: a.email, password: 'not-it-at-all' }, a.client);
    for (let i = 0; i < signInPolicy.slowAfter; i++) expect(await codeOf(wrong())).toBe('UNAUTHORIZED');
    // Slowed: an immediate retry is refused before the password is even checked (the right one included).
    expect(await codeOf(signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client))).toBe(
      'TOO_MANY_REQUESTS',
    );
    let last = '';
    for (let i = signInPolicy.slowAfter; i < signInPolicy.lockAfter; i++) {
      await new Promise((r) => setTimeout(r, signInPolicy.maxDelayMs + 20));
      last = await codeOf(wrong());
    }
    expect(last).toBe('TOO_MANY_REQUESTS'); // the failure that locked it says so
    await new Promise((r) => setTimeout(r, signInPolicy.maxDelayMs + 20));
    await expect(signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client)).rejects.toThrow(/locked/);
    const doc = await platformModels().SuperAdmin.findById(a.id).lean();
    expect(doc?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    // The existing session stops working while the account is locked.
    expect(await getSuperAdminSession(cookieHeaders('admin.localhost', a.session.token))).toBeNull();
    const audit = await platformModels().PlatformAuditLog.find({ actorId: a.id, action: 'superadmin.locked' }).lean();
    expect(audit).toHaveLength(1);
  });

  it('accepts each recovery code once', async () => {
    const a = await enrolledSuperAdmin();
    const recoveryCode = a.recoveryCodes[3]!.toUpperCase().replace('-', ' ');
    const step = await signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client);
    const first = await signInSecondFactor(step.challenge, { recoveryCode }, a.client);
    expect(first.recoveryCodesLeft).toBe(9);
    const again = await signInWithPassword({ email: a.email, password: TEST_ADMIN_PASSWORD }, a.client);
    await expect(signInSecondFactor(again.challenge, { recoveryCode }, a.client)).rejects.toThrow(/already used/);
    expect((await platformModels().SuperAdmin.findById(a.id).lean())?.recoveryCodes).toHaveLength(9);
  });

  it('counts the session only on the platform host, and not after sign-out or a forged token', async () => {
    const a = await enrolledSuperAdmin();
    expect(await getSuperAdminSession(cookieHeaders('admin.localhost', a.session.token))).not.toBeNull();
    expect(await getSuperAdminSession(cookieHeaders('acme.localhost', a.session.token))).toBeNull();
    expect(await getSuperAdminSession(cookieHeaders('admin.localhost', `${a.session.token.slice(0, -3)}abc`))).toBeNull();
    const claims = (await readPlatformToken(a.session.token, 'session'))!;
    await revokePlatformToken(claims);
    expect(await getSuperAdminSession(cookieHeaders('admin.localhost', a.session.token))).toBeNull();
  });

  it('needs re-authentication before MFA changes; signing out everywhere ends every session', async () => {
    const a = await enrolledSuperAdmin();
    const session = (await getSuperAdminSession(cookieHeaders('admin.localhost', a.session.token)))!;
    expect(await codeOf(regenerateRecoveryCodes(session, a.client))).toBe('PRECONDITION_FAILED');
    expect(await codeOf(reauthenticate(session, { password: TEST_ADMIN_PASSWORD, code: '123456' }, a.client))).toBe(
      'UNAUTHORIZED',
    );
    await reauthenticate(session, { password: TEST_ADMIN_PASSWORD, code: await totpCode(a.secret, 1) }, a.client);
    const { recoveryCodes } = await regenerateRecoveryCodes(session, a.client);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes).not.toContain(a.recoveryCodes[0]);
    await signOutEverywhere(session, a.client);
    expect(await getSuperAdminSession(cookieHeaders('admin.localhost', a.session.token))).toBeNull();
  });
});
