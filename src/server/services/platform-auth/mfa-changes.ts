import { z } from 'zod';
import { verifyPassword } from '../../crypto/passwords';
import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';
import { parseInput } from '../../tenancy/org-input';
import { auditAuth, type ClientInfo } from './audit';
import { beginEnrolment, confirmEnrolment } from './enrolment';
import { signInPolicy } from './policy';
import { newRecoveryCodes } from './recovery-codes';
import type { PlatformSession } from './session';
import { assertAccountAllowed, recordFailure } from './throttle';
import { checkTotp, openTotpSecret } from './totp';

/**
 * Changes to an admin's second factor need a fresh proof of both factors (a stolen session cookie
 * alone must not be able to swap the authenticator): `reauthenticate` unlocks MFA changes for this
 * session for a few minutes.
 */
const reauthKey = (sessionId: string) => rkey('platform-auth', 'reauth', sessionId);
const reauthInput = z.object({ password: z.string().min(1).max(1000), code: z.string().trim().max(20) }).strict();

export async function reauthenticate(
  session: PlatformSession,
  raw: unknown,
  client: ClientInfo,
): Promise<{ validForSeconds: number }> {
  const input = parseInput(reauthInput, raw);
  const admin = await platformModels().SuperAdmin.findById(session.id).lean();
  if (!admin?.mfaSecret) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  await assertAccountAllowed(admin);
  const ok =
    (await verifyPassword(admin.passwordHash, input.password)) &&
    (await checkTotp(session.id, openTotpSecret(session.id, admin.mfaSecret), input.code));
  if (!ok) {
    await recordFailure(session.id);
    await auditAuth('superadmin.reauth.failed', session, client);
    throw new AppError('UNAUTHORIZED', 'Wrong password or code');
  }
  await redis().set(reauthKey(session.sessionId), '1', 'EX', signInPolicy.reauthTtlSeconds);
  await auditAuth('superadmin.reauth', session, client);
  return { validForSeconds: signInPolicy.reauthTtlSeconds };
}

export async function assertRecentlyReauthenticated(session: PlatformSession): Promise<void> {
  if (!(await redis().exists(reauthKey(session.sessionId)))) {
    throw new AppError('PRECONDITION_FAILED', 'Confirm your password and a code before changing two-factor settings');
  }
}

export async function regenerateRecoveryCodes(
  session: PlatformSession,
  client: ClientInfo,
): Promise<{ recoveryCodes: string[] }> {
  await assertRecentlyReauthenticated(session);
  const { codes, hashes } = await newRecoveryCodes();
  await platformModels().SuperAdmin.updateOne({ _id: session.id }, { $set: { recoveryCodes: hashes } });
  await auditAuth('superadmin.mfa.recovery-codes.regenerated', session, client);
  return { recoveryCodes: codes };
}

export async function beginAuthenticatorChange(session: PlatformSession) {
  await assertRecentlyReauthenticated(session);
  return beginEnrolment(session);
}

/** Replaces the authenticator; every other session ends, this one gets a new token. */
export async function confirmAuthenticatorChange(session: PlatformSession, raw: unknown, client: ClientInfo) {
  await assertRecentlyReauthenticated(session);
  const result = await confirmEnrolment(session, raw, client);
  await redis().del(reauthKey(session.sessionId));
  return result;
}

/** Ends every session of this admin (this one included). */
export async function signOutEverywhere(session: PlatformSession, client: ClientInfo): Promise<void> {
  await platformModels().SuperAdmin.updateOne({ _id: session.id }, { $set: { sessionsValidAfter: new Date() } });
  await auditAuth('superadmin.signout.everywhere', session, client);
}
