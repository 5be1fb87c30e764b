import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../crypto/passwords';
import { connectMongo } from '../../db/mongo';
import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { parseInput } from '../../tenancy/org-input';
import { auditAuth, type ClientInfo } from './audit';
import { signInPolicy } from './policy';
import { consumeRecoveryCode } from './recovery-codes';
import { issueSession } from './session';
import { assertAccountAllowed, assertIpAllowed, recordFailure, recordSuccess } from './throttle';
import { requirePlatformToken, revokePlatformToken, signPlatformToken } from './tokens';
import { checkTotp, openTotpSecret } from './totp';

/**
 * Super-admin sign-in in two steps: password, then a TOTP code (or a one-time recovery code). An
 * admin without MFA yet is sent to enrolment instead (enrolment.ts); there is no way in without it.
 * Wrong password and unknown email give the same answer in about the same time.
 */
const passwordInput = z
  .object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1000) })
  .strict();
const secondFactorInput = z
  .object({
    code: z.string().trim().max(20).optional(),
    recoveryCode: z.string().trim().max(40).optional(),
  })
  .strict()
  .refine((v) => !!v.code !== !!v.recoveryCode, { message: 'Enter either an authenticator code or a recovery code' });

let dummyHash: Promise<string> | undefined;
const WRONG = 'Wrong email or password';

export async function signInWithPassword(raw: unknown, client: ClientInfo) {
  const input = parseInput(passwordInput, raw);
  await connectMongo();
  await assertIpAllowed(client.ip);
  const admin = await platformModels()
    .SuperAdmin.findOne({ email: { $eq: input.email } })
    .lean();
  if (!admin) {
    // Spend the same argon2 time as a real check so response times do not reveal which emails exist.
    await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password')), input.password);
    await auditAuth('superadmin.signin.failed', { email: input.email }, client, { reason: 'unknown email' });
    throw new AppError('UNAUTHORIZED', WRONG);
  }
  const id = String(admin._id);
  await assertAccountAllowed(admin);
  if (!(await verifyPassword(admin.passwordHash, input.password))) {
    await fail(id, admin.email, client, 'wrong password');
    throw new AppError('UNAUTHORIZED', WRONG);
  }
  const stage = admin.mfaEnabled && admin.mfaSecret ? 'totp' : 'enrol';
  const challenge = await signPlatformToken(
    { sub: id, email: admin.email, typ: 'challenge', stage },
    signInPolicy.challengeTtlSeconds,
  );
  return { stage, challenge: challenge.token, expiresInSeconds: signInPolicy.challengeTtlSeconds } as const;
}

async function fail(id: string, email: string, client: ClientInfo, reason: string): Promise<void> {
  const locked = await recordFailure(id);
  await auditAuth('superadmin.signin.failed', { id, email }, client, { reason });
  if (locked) {
    await auditAuth('superadmin.locked', { id, email }, client, { minutes: Math.round(signInPolicy.lockMs / 60_000) });
    throw new AppError('TOO_MANY_REQUESTS', 'This account is now locked after repeated failed sign-ins. Try again later.', {
      retryAfterSeconds: Math.ceil(signInPolicy.lockMs / 1000),
    });
  }
}

export async function signInSecondFactor(challengeToken: string | undefined, raw: unknown, client: ClientInfo) {
  const claims = await requirePlatformToken(challengeToken, 'challenge');
  if (claims.stage !== 'totp') throw new AppError('BAD_REQUEST', 'Set up two-factor authentication first');
  const input = parseInput(secondFactorInput, raw);
  await assertIpAllowed(client.ip);
  const admin = await platformModels().SuperAdmin.findById(claims.sub).lean();
  if (!admin?.mfaSecret) throw new AppError('UNAUTHORIZED', 'Your sign-in attempt expired. Start again.');
  const id = String(admin._id);
  await assertAccountAllowed(admin);
  const ok = input.code
    ? await checkTotp(id, openTotpSecret(id, admin.mfaSecret), input.code)
    : await consumeRecoveryCode(id, admin.recoveryCodes ?? [], input.recoveryCode!);
  if (!ok) {
    await fail(id, admin.email, client, input.code ? 'wrong or reused code' : 'wrong or used recovery code');
    throw new AppError(
      'UNAUTHORIZED',
      input.code ? 'That code is wrong or was already used' : 'That recovery code is wrong or was already used',
    );
  }
  await revokePlatformToken(claims);
  await recordSuccess(id);
  await auditAuth('superadmin.signin', { id, email: admin.email }, client, { method: input.code ? 'totp' : 'recovery-code' });
  const session = await issueSession({ id, email: admin.email });
  const recoveryCodesLeft = (admin.recoveryCodes?.length ?? 0) - (input.recoveryCode ? 1 : 0);
  return { session, recoveryCodesLeft };
}
