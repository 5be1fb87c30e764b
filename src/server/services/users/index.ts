import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { loadOrg } from '../../tenancy/org-cache';
import { auditOrgChange, type OrgActor } from '../audit';
import { inviteUser as sendInvite } from '../identity/invitations';
import { revokeUserSessions } from '../identity/revocation';
import { oid, plain } from '../shared/ids';
import { USER_FIELDS, userInvite, type UserInvite, type UserPatch } from './input';

export * from './input';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listUsers(slug: string, filter: { search?: string; role?: string; status?: string; teamId?: string }) {
  const q: Record<string, unknown> = {};
  // Every user-supplied value is wrapped in an explicit operator: a string can never become one.
  if (filter.role) q.role = { $eq: filter.role };
  if (filter.status) q.status = { $eq: filter.status };
  if (filter.teamId) q.teamIds = { $eq: oid(filter.teamId) };
  if (filter.search) {
    const re = new RegExp(escapeRegex(filter.search), 'i');
    q.$or = [{ displayName: re }, { email: re }];
  }
  const users = await tenantModels(slug).User.find(q).select(USER_FIELDS).sort({ displayName: 1 }).limit(500).lean();
  return users.map((u) => ({ ...plain(u), id: String(u._id) }));
}

/** Decision 7, with a message for the form (the model's guard refuses it again on write). */
async function assertRoleExists(slug: string, role: string) {
  const org = await loadOrg(slug);
  if (!org?.roles.some((r) => r.name === role)) throw new AppError('BAD_REQUEST', `Role "${role}" does not exist in this organisation`);
}

async function assertRefsExist(slug: string, teamIds?: string[], branchId?: string | null) {
  const { Team, Branch } = tenantModels(slug);
  if (teamIds?.length && (await Team.countDocuments({ _id: { $in: teamIds.map(oid) } })) !== new Set(teamIds).size) {
    throw new AppError('BAD_REQUEST', 'One of the teams does not exist');
  }
  if (branchId && !(await Branch.exists({ _id: { $eq: oid(branchId) } }))) throw new AppError('BAD_REQUEST', 'That branch does not exist');
}

/**
 * Role, teams and branch decide what a user may see, so changing any of them revokes the user's
 * sessions: the next request signs in with the new scope instead of a cached old one.
 */
export async function updateUser(slug: string, { id, ...patch }: UserPatch, actor: OrgActor) {
  const { User } = tenantModels(slug);
  const before = await User.findById(id).select(USER_FIELDS).lean();
  if (!before) throw new AppError('NOT_FOUND', 'User not found');
  if (patch.role !== undefined) await assertRoleExists(slug, patch.role);
  await assertRefsExist(slug, patch.teamIds, patch.branchId);
  if (before.isProtected && patch.role !== undefined && patch.role !== before.role) {
    throw new AppError('FORBIDDEN', "The workspace owner's role cannot be changed");
  }
  const { branchId, teamIds, ...rest } = patch;
  const $set: Record<string, unknown> = { ...rest };
  if (teamIds) $set.teamIds = teamIds.map(oid);
  if (branchId) $set.branchId = oid(branchId);
  const update: Record<string, unknown> = { $set };
  if (branchId === null) update.$unset = { branchId: 1 };
  const after = await User.findByIdAndUpdate(id, update, { returnDocument: 'after', runValidators: true }).select(USER_FIELDS).lean();
  const scopeChanged =
    (patch.role !== undefined && patch.role !== before.role) ||
    (teamIds && teamIds.map(String).sort().join() !== before.teamIds.map(String).sort().join()) ||
    (branchId !== undefined && String(branchId ?? '') !== String(before.branchId ?? ''));
  if (scopeChanged) await revokeUserSessions(slug, id);
  await auditOrgChange(slug, actor, 'user.updated', { type: 'User', id }, { before: plain(before), after: plain(after) });
}

/** Deactivate (signed out everywhere, cannot sign in) or reactivate a user. */
export async function setUserActive(slug: string, id: string, active: boolean, actor: OrgActor) {
  const { User } = tenantModels(slug);
  const before = await User.findById(id).select(USER_FIELDS).lean();
  if (!before) throw new AppError('NOT_FOUND', 'User not found');
  if (!active && id === actor.id) throw new AppError('BAD_REQUEST', 'You cannot deactivate yourself');
  if (!active && before.isProtected) throw new AppError('FORBIDDEN', 'The workspace owner cannot be deactivated');
  if (active && before.status === 'invited') throw new AppError('BAD_REQUEST', 'This user has not accepted the invitation yet');
  const status = active ? 'active' : 'inactive';
  await User.updateOne({ _id: { $eq: oid(id) } }, { $set: { status } });
  if (!active) await revokeUserSessions(slug, id);
  await auditOrgChange(slug, actor, active ? 'user.reactivated' : 'user.deactivated', { type: 'User', id }, {
    before: { status: before.status },
    after: { status },
  });
}

/** Invitation mail and token come from the identity service; teams and branch are set here. */
export async function inviteUser(slug: string, raw: UserInvite, actor: OrgActor, linkBase: string) {
  const input = userInvite.parse(raw);
  await assertRoleExists(slug, input.role);
  await assertRefsExist(slug, input.teamIds, input.branchId);
  const { userId } = await sendInvite(slug, { email: input.email, displayName: input.displayName, role: input.role }, actor.id, linkBase);
  const $set: Record<string, unknown> = { teamIds: input.teamIds.map(oid) };
  if (input.branchId) $set.branchId = oid(input.branchId);
  await tenantModels(slug).User.updateOne({ _id: { $eq: oid(userId) } }, { $set });
  const { teamIds, branchId, email, role, displayName } = input;
  await auditOrgChange(slug, actor, 'user.invited', { type: 'User', id: userId }, { after: { email, displayName, role, teamIds, branchId } });
  return { id: userId };
}
