import { z } from 'zod';
import { buildAbility, describeRule, roleSchema, type Role } from '../../authz';
import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { publishOrgConfigUpdated } from '../../tenancy/config-events';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { revokeUserSessions } from '../identity/revocation';
import { plain } from '../shared/ids';

/**
 * Roles live in org.roles[] (platform_db), editable per organisation. A save is optimistic on the
 * organisation's configVersion (two admins cannot silently overwrite each other) and is published on
 * org:config:updated: every process drops the cached organisation, so the next request of any user
 * with that role builds its ability from the new rules (within about a second, no sign-out needed).
 * Renaming moves the role's users and revokes their sessions, since their role name changed.
 */
export const roleSave = z.strictObject({
  originalName: z.string().trim().min(1).max(60).nullable(),
  role: roleSchema.extend({ level: z.number().int().min(0).max(100) }),
});

async function loadRoles(slug: string) {
  const org = await platformModels()
    .Organization.findOne({ slug: { $eq: slug } })
    .select({ roles: 1, configVersion: 1 })
    .lean();
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  return { roles: plain(org.roles) as unknown as Role[], version: org.configVersion ?? 1 };
}

export async function listRoles(slug: string) {
  const { roles } = await loadRoles(slug);
  const counts = await tenantModels(slug).User.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$role', n: { $sum: 1 } } }]);
  return roles
    .map((r) => ({ ...r, userCount: counts.find((c) => c._id === r.name)?.n ?? 0, summary: r.permissions.map(describeRule) }))
    .sort((a, b) => b.level - a.level);
}

/** Someone must still be able to manage users and roles after any change. */
async function assertAdminRemains(slug: string, roles: Role[], renamed: Map<string, string>) {
  const adminRoles = roles.filter((r) => {
    const a = buildAbility([r], { role: r.name, userId: 'x', teamIds: [], branchId: null });
    return a.can('update', 'Role') && a.can('update', 'User');
  });
  const held = await tenantModels(slug).User.exists({
    status: 'active',
    role: { $in: adminRoles.flatMap((r) => [r.name, ...[...renamed].filter(([, to]) => to === r.name).map(([from]) => from)]) },
  });
  if (!held) throw new AppError('BAD_REQUEST', 'This change would leave nobody able to manage users and roles');
}

async function commit(slug: string, version: number, roles: Role[], reason: string) {
  const res = await platformModels().Organization.updateOne(
    { slug: { $eq: slug }, configVersion: { $eq: version } },
    { $set: { roles }, $inc: { configVersion: 1 } },
    { runValidators: true },
  );
  if (res.matchedCount === 0) throw new AppError('CONFLICT', 'The roles were changed by someone else meanwhile. Reload and try again.');
  await publishOrgConfigUpdated(slug, reason);
}

export async function saveRole(slug: string, input: z.infer<typeof roleSave>, actor: OrgActor) {
  const { roles, version } = await loadRoles(slug);
  const { originalName, role } = input;
  const before = originalName ? roles.find((r) => r.name === originalName) : undefined;
  if (originalName && !before) throw new AppError('NOT_FOUND', `Role "${originalName}" not found`);
  if (roles.some((r) => r.name === role.name && r.name !== originalName)) throw new AppError('CONFLICT', `A role named "${role.name}" already exists`);
  const next = before ? roles.map((r) => (r === before ? { ...r, ...role } : r)) : [...roles, role];
  const renamed = new Map(before && before.name !== role.name ? [[before.name, role.name]] : []);
  await assertAdminRemains(slug, next, renamed);
  await commit(slug, version, next, before ? 'roles.updated' : 'roles.created');
  if (renamed.size) {
    const { User } = tenantModels(slug);
    const affected = await User.find({ role: { $eq: before!.name } }).select({ _id: 1 }).lean();
    await User.updateMany({ role: { $eq: before!.name } }, { $set: { role: role.name } });
    for (const u of affected) await revokeUserSessions(slug, String(u._id));
  }
  await auditOrgChange(slug, actor, before ? 'role.updated' : 'role.created', { type: 'Role', id: role.name }, { before, after: role });
}

export async function deleteRole(slug: string, name: string, actor: OrgActor) {
  const { roles, version } = await loadRoles(slug);
  const before = roles.find((r) => r.name === name);
  if (!before) throw new AppError('NOT_FOUND', `Role "${name}" not found`);
  const holders = await tenantModels(slug).User.countDocuments({ role: { $eq: name } });
  if (holders > 0) throw new AppError('CONFLICT', `${holders} user(s) still have the role "${name}". Give them another role first.`);
  const next = roles.filter((r) => r !== before);
  await assertAdminRemains(slug, next, new Map());
  await commit(slug, version, next, 'roles.deleted');
  await auditOrgChange(slug, actor, 'role.deleted', { type: 'Role', id: name }, { before });
}
