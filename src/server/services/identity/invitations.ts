import { Types } from 'mongoose';
import { z } from 'zod';
import { hashPassword } from '../../crypto/passwords';
import { AppError } from '../../errors';
import { joinAutoChannels } from '../../tenancy/auto-channels';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { assertCanAddUser } from '../../tenancy/plan-limits';
import { sendOrgMail } from '../mail';
import { createOneTimeToken, peekOneTimeToken, redeemOneTimeToken } from './one-time-tokens';
import { issueSession, type IssuedSession } from './sessions';

/**
 * Invitations: an admin invites an address with a role; the user exists at once (status invited,
 * counted against the plan) and receives a single-use link valid for 7 days. Accepting sets the
 * password, activates the account and signs the user in.
 */
export const passwordInput = z.string().min(10, 'Use at least 10 characters.').max(256);
export const inviteInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    displayName: z.string().trim().min(1).max(120).optional(),
    role: z.string().min(1).max(60),
  })
  .strict();
export const acceptInput = z
  .object({ token: z.string().max(100), password: passwordInput, displayName: z.string().trim().min(1).max(120).optional() })
  .strict();

export async function inviteUser(
  slug: string,
  raw: unknown,
  invitedBy: string | null,
  linkBase: string,
): Promise<{ userId: string }> {
  const input = inviteInput.parse(raw);
  const org = await loadOrg(slug);
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  if (!org.roles.some((r) => r.name === input.role)) throw new AppError('BAD_REQUEST', `Unknown role "${input.role}"`);
  const { User } = tenantModels(slug);
  const existing = await User.findOne({ email: { $eq: input.email } })
    .select({ status: 1 })
    .lean();
  if (existing && existing.status !== 'invited') throw new AppError('CONFLICT', 'A user with this email already exists');
  let userId = existing?._id;
  if (!userId) {
    await assertCanAddUser(slug);
    const user = await User.create({
      email: input.email,
      displayName: input.displayName ?? input.email.split('@')[0],
      role: input.role,
      status: 'invited',
      invitedAt: new Date(),
      ...(invitedBy && Types.ObjectId.isValid(invitedBy) ? { invitedBy: new Types.ObjectId(invitedBy) } : {}),
    });
    userId = user._id;
    await joinAutoChannels(slug, userId);
  }
  await sendInvitation(slug, userId, linkBase);
  return { userId: String(userId) };
}

/** (Re)send the invitation of an invited user, e.g. the first admin after provisioning. */
export async function sendInvitation(slug: string, userId: Types.ObjectId, linkBase: string): Promise<void> {
  const org = await loadOrg(slug);
  const user = await tenantModels(slug)
    .User.findOne({ _id: { $eq: userId }, status: 'invited' })
    .select({ email: 1 })
    .lean();
  if (!org || !user) throw new AppError('NOT_FOUND', 'No pending invitation for this user');
  const token = await createOneTimeToken(slug, 'invite', userId);
  const appName = org.branding?.appName ?? org.name;
  const link = `${linkBase}/invite/${token}`;
  await sendOrgMail(slug, {
    to: user.email,
    subject: `You are invited to ${appName}`,
    text: `You have been invited to ${appName}.\n\nSet your password and sign in: ${link}\n\nThe link works once and expires in 7 days.`,
  });
}

export async function invitationEmail(slug: string, token: string): Promise<string | null> {
  const userId = await peekOneTimeToken(slug, 'invite', token);
  if (!userId) return null;
  const user = await tenantModels(slug)
    .User.findOne({ _id: { $eq: userId }, status: 'invited' })
    .select({ email: 1 })
    .lean();
  return user?.email ?? null;
}

export async function acceptInvitation(slug: string, raw: unknown): Promise<IssuedSession> {
  const parsed = acceptInput.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues[0]?.message ?? 'Invalid request');
  const { token, password, displayName } = parsed.data;
  const passwordHash = await hashPassword(password); // before spending the link
  const userId = await redeemOneTimeToken(slug, 'invite', token);
  const invalid = new AppError('BAD_REQUEST', 'This invitation link is invalid, expired or already used.');
  if (!userId) throw invalid;
  const res = await tenantModels(slug).User.updateOne(
    { _id: { $eq: userId }, status: 'invited' },
    { $set: { passwordHash, status: 'active', ...(displayName ? { displayName } : {}) } },
  );
  if (res.modifiedCount !== 1) throw invalid;
  return issueSession(slug, String(userId));
}
