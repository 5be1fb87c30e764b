import { z } from 'zod';
import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';
import { parseInput } from '../../tenancy/org-input';
import { auditAuth, type ClientInfo } from './audit';
import { newRecoveryCodes } from './recovery-codes';
import { issueSession } from './session';
import { recordFailure, recordSuccess } from './throttle';
import { checkTotp, newTotpSecret, openTotpSecret, sealTotpSecret, totpQr } from './totp';

/**
 * TOTP enrolment, used at first sign-in (after the password step) and to replace an authenticator
 * (after re-authentication, mfa-changes.ts). The new seed waits in Redis, encrypted, until a code
 * from it is confirmed; only then does it replace the stored one, together with fresh recovery
 * codes, and every earlier session of the admin ends.
 */
const PENDING_TTL_SECONDS = 15 * 60;
const pendingKey = (adminId: string) => rkey('platform-auth', 'pending-totp', adminId);
const confirmInput = z.object({ code: z.string().trim().max(20) }).strict();

export interface EnrolSubject {
  id: string;
  email: string;
}

/**
 * First enrolment (half-signed-in, password only) is for admins without a second factor. Checked at
 * every step: a second challenge obtained before enrolment finished must not replace the new factor.
 */
export async function assertNotEnrolled(adminId: string): Promise<void> {
  const admin = await platformModels().SuperAdmin.findById(adminId).select({ mfaEnabled: 1 }).lean();
  if (!admin || admin.mfaEnabled) throw new AppError('UNAUTHORIZED', 'Your sign-in attempt expired. Start again.');
}

/** The pending seed (created once, so reloading the page shows the same QR code). */
export async function beginEnrolment(admin: EnrolSubject) {
  const r = redis();
  const sealed = sealTotpSecret(admin.id, newTotpSecret());
  await r.set(pendingKey(admin.id), sealed, 'EX', PENDING_TTL_SECONDS, 'NX');
  const secret = openTotpSecret(admin.id, (await r.get(pendingKey(admin.id)))!);
  return { secret, ...(await totpQr(admin.email, secret)) };
}

export async function confirmEnrolment(admin: EnrolSubject, raw: unknown, client: ClientInfo) {
  const { code } = parseInput(confirmInput, raw);
  const sealed = await redis().get(pendingKey(admin.id));
  if (!sealed) throw new AppError('PRECONDITION_FAILED', 'The setup expired. Scan the new QR code.');
  if (!(await checkTotp(admin.id, openTotpSecret(admin.id, sealed), code))) {
    await recordFailure(admin.id);
    await auditAuth('superadmin.mfa.enrol.failed', admin, client);
    throw new AppError('UNAUTHORIZED', 'That code does not match. Check the time on your phone and try the next code.');
  }
  const { codes, hashes } = await newRecoveryCodes();
  const now = Date.now();
  await platformModels().SuperAdmin.updateOne(
    { _id: admin.id },
    { $set: { mfaEnabled: true, mfaSecret: sealed, recoveryCodes: hashes, sessionsValidAfter: new Date(now) } },
  );
  await redis().del(pendingKey(admin.id));
  await recordSuccess(admin.id);
  await auditAuth('superadmin.mfa.enrolled', admin, client);
  const session = await issueSession(admin, now);
  return { session, recoveryCodes: codes };
}
