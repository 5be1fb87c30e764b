import { z } from 'zod';
import { hashPassword } from '../../crypto/passwords';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { consume } from '../rate-limit';
import { sendOrgMail } from '../mail';
import { passwordInput } from './invitations';
import { createOneTimeToken, peekOneTimeToken, redeemOneTimeToken } from './one-time-tokens';
import { revokeUserSessions } from './revocation';

/**
 * "Forgot password": the answer is the same whether or not the address has an account (no
 * enumeration); a link, valid for an hour and once, goes only to active password accounts. Setting
 * a new password revokes every existing session of the user.
 */
export const forgotInput = z.object({ email: z.string().trim().toLowerCase().email().max(254) }).strict();
export const resetInput = z.object({ token: z.string().max(100), password: passwordInput }).strict();

export async function requestPasswordReset(slug: string, raw: unknown, ip: string, linkBase: string): Promise<void> {
  await consume('ip', `${slug}:${ip}`);
  const parsed = forgotInput.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'Enter a valid email address.');
  const { email } = parsed.data;
  await consume('mail', `${slug}:${email}`); // no mail bombing of one address
  const org = await loadOrg(slug);
  const user = await tenantModels(slug)
    .User.findOne({ email: { $eq: email }, status: 'active' })
    .select({ _id: 1 })
    .lean();
  if (!org || !user || (org.auth?.method ?? 'password') !== 'password') return;
  const token = await createOneTimeToken(slug, 'reset', user._id);
  const appName = org.branding?.appName ?? org.name;
  // A mail failure must not answer differently from "no such account": log it, answer the same.
  await sendOrgMail(slug, {
    to: email,
    subject: `Reset your ${appName} password`,
    text: `Someone asked to reset the password of your ${appName} account.\n\nChoose a new password: ${linkBase}/reset/${token}\n\nThe link works once and expires in one hour. If it was not you, ignore this message.`,
  }).catch((err: unknown) => console.error(`[identity] reset mail for ${slug} failed`, err));
}

export async function resetLinkValid(slug: string, token: string): Promise<boolean> {
  return (await peekOneTimeToken(slug, 'reset', token)) !== null;
}

export async function resetPassword(slug: string, raw: unknown): Promise<void> {
  const parsed = resetInput.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues[0]?.message ?? 'Invalid request');
  const passwordHash = await hashPassword(parsed.data.password);
  const userId = await redeemOneTimeToken(slug, 'reset', parsed.data.token);
  if (!userId) throw new AppError('BAD_REQUEST', 'This reset link is invalid, expired or already used.');
  await tenantModels(slug).User.updateOne({ _id: { $eq: userId }, status: 'active' }, { $set: { passwordHash } });
  await revokeUserSessions(slug, String(userId));
}
