import { z } from 'zod';
import { AppError } from '../../errors';
import { joinAutoChannels } from '../../tenancy/auto-channels';
import { tenantModels } from '../../tenancy/connections';
import { DEFAULT_ROLE_NAME } from '../../tenancy/default-roles';
import { loadOrg } from '../../tenancy/org-cache';
import { assertCanAddUser } from '../../tenancy/plan-limits';

/**
 * The user behind an SSO sign-in (OIDC or SAML), created on first sign-in with the organisation's
 * default role and the IdP's subject as `externalId`. An existing account with the same email is
 * linked only when the IdP vouches for the address (OIDC `email_verified`, SAML assertions), so an
 * IdP account with someone else's unverified address cannot take their account over.
 */
export const ssoIdentity = z
  .object({
    protocol: z.enum(['oidc', 'saml']),
    subject: z.string().min(1).max(500),
    email: z.string().trim().toLowerCase().email().max(254),
    name: z.string().trim().max(120).optional(),
    emailVerified: z.boolean(),
  })
  .strict();
export type SsoIdentity = z.infer<typeof ssoIdentity>;

const refused = () => new AppError('FORBIDDEN', 'Your account cannot sign in to this workspace. Contact your administrator.');

export async function findOrCreateSsoUser(slug: string, raw: SsoIdentity): Promise<string> {
  const id = ssoIdentity.parse(raw);
  const externalId = `${id.protocol}:${id.subject}`;
  const { User } = tenantModels(slug);
  const known = await User.findOne({ externalId: { $eq: externalId } })
    .select({ status: 1 })
    .lean();
  if (known) {
    if (known.status !== 'active') throw refused();
    await User.updateOne({ _id: known._id }, { $set: { lastLoginAt: new Date() } });
    return String(known._id);
  }
  const byEmail = await User.findOne({ email: { $eq: id.email } })
    .select({ status: 1, externalId: 1 })
    .lean();
  if (byEmail) {
    if (!id.emailVerified || byEmail.externalId || !['active', 'invited'].includes(byEmail.status ?? '')) throw refused();
    await User.updateOne({ _id: byEmail._id }, { $set: { externalId, status: 'active', lastLoginAt: new Date() } });
    return String(byEmail._id);
  }
  const org = await loadOrg(slug);
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  await assertCanAddUser(slug);
  const wanted = org.auth?.defaultRole ?? DEFAULT_ROLE_NAME;
  const role = org.roles.some((r) => r.name === wanted) ? wanted : DEFAULT_ROLE_NAME;
  const user = await User.create({
    email: id.email,
    displayName: id.name || id.email.split('@')[0],
    role,
    status: 'active',
    externalId,
    lastLoginAt: new Date(),
  });
  await joinAutoChannels(slug, user._id);
  return String(user._id);
}
