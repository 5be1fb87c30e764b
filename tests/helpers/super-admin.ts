import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import {
  beginEnrolment,
  confirmEnrolment,
  requirePlatformToken,
  signInWithPassword,
  upsertSuperAdmin,
} from '@/server/services/platform-auth';

/**
 * A super admin with MFA enrolled through the real flow; returns the TOTP seed so tests can compute
 * codes the way an authenticator app does.
 */
export const TEST_ADMIN_PASSWORD = 'Correct-horse-battery-9';

/** The code for the time step `stepsAhead` from now (the verifier accepts one step either side). */
export function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

export async function enrolledSuperAdmin(client = { ip: `10.${randomBytes(3).join('.')}` }) {
  const email = `op-${randomBytes(4).toString('hex')}@platform.test`;
  const { id } = await upsertSuperAdmin({ email, password: TEST_ADMIN_PASSWORD, displayName: 'Test Operator' });
  const step = await signInWithPassword({ email, password: TEST_ADMIN_PASSWORD }, client);
  const claims = await requirePlatformToken(step.challenge, 'challenge');
  const { secret } = await beginEnrolment({ id: claims.sub, email });
  const { session, recoveryCodes } = await confirmEnrolment({ id, email }, { code: await totpCode(secret) }, client);
  return { id, email, secret, session, recoveryCodes, client };
}
