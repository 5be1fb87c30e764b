import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../crypto/passwords';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { assertNotBlocked, consume, reset } from '../rate-limit';
import { issueSession, type IssuedSession } from './sessions';

/**
 * Password sign-in. One generic refusal for unknown email, wrong password, SSO-only and inactive
 * accounts, and the same argon2 work in every case, so neither the message nor the timing tells
 * whether an address has an account. Rate limited per org+IP and locked per account.
 */
export const signInInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    password: z.string().min(1).max(1024),
  })
  .strict();

const REFUSED = 'Incorrect email or password.';
let dummyHash: Promise<string> | undefined;

export async function passwordSignIn(slug: string, raw: unknown, ip: string): Promise<IssuedSession> {
  await consume('ip', `${slug}:${ip}`);
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'Enter your email address and password.');
  const { email, password } = parsed.data;
  const org = await loadOrg(slug);
  if (!org || org.status !== 'active') throw new AppError('FORBIDDEN', 'This workspace is not available');
  if ((org.auth?.method ?? 'password') !== 'password')
    throw new AppError('FORBIDDEN', 'This workspace signs in with single sign-on.');
  const accountKey = `${slug}:${email}`;
  await assertNotBlocked('account', accountKey);

  const user = await tenantModels(slug)
    .User.findOne({ email: { $eq: email } })
    .select({ passwordHash: 1, status: 1 })
    .lean();
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  if (!user || !ok || user.status !== 'active') {
    await consume('account', accountKey);
    throw new AppError('UNAUTHORIZED', REFUSED);
  }
  await reset('account', accountKey);
  await tenantModels(slug).User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
  return issueSession(slug, String(user._id));
}
