import { buildAbility, type AbilityUser, type Action, type AppAbility, type Role, type Subject } from '../authz';
import { loadOrg } from '../tenancy/resolve';
import { AppError } from '../errors';
import { baseProcedure } from './init';

/**
 * The procedure ladder, in one file. Every procedure of every router starts from one of these.
 *
 *   publicProcedure      anyone, any host
 *   tenantProcedure      the host resolved to an active organisation: ctx.org
 *   authedProcedure      + a signed-in user of that organisation: ctx.user, ctx.ability
 *   can(action, subject) + the user's ability allows it (use for every mutation and list)
 *   superAdminProcedure  the platform host and a super admin with MFA; no tenant
 */
export const publicProcedure = baseProcedure;

export const tenantProcedure = baseProcedure.use(async ({ ctx, next }) => {
  const org = await ctx.org();
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  if (org.status === 'suspended') throw new AppError('FORBIDDEN', 'This workspace is suspended');
  if (org.status !== 'active') throw new AppError('UNAVAILABLE', 'This workspace is not ready yet');
  return next({ ctx: { org } });
});

export const authedProcedure = tenantProcedure.use(async ({ ctx, next }) => {
  const user = await ctx.user(ctx.org);
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  // Roles come from the cached organisation record, so a role edit is in force after org:config:updated.
  const roles = ((await loadOrg(ctx.org.slug))?.roles ?? []) as Role[];
  const abilityUser: AbilityUser = { role: user.role, userId: user.id, teamIds: user.teamIds, branchId: user.branchId ?? null };
  const ability: AppAbility = buildAbility(roles, abilityUser);
  // roles + abilityUser: for channel-level abilities (decision 8) and the packed rules of `me`.
  return next({ ctx: { user, ability, roles, abilityUser } });
});

/** Permission factory: `can('update', 'RoutingRule').input(...).mutation(...)`. */
export function can(action: Action, subject: Subject) {
  return authedProcedure.use(async ({ ctx, next }) => {
    if (!ctx.ability.can(action, subject)) throw new AppError('FORBIDDEN', `Not allowed to ${action} ${subject}`);
    return next();
  });
}

export const superAdminProcedure = baseProcedure.use(async ({ ctx, next }) => {
  if (ctx.hostClass.kind !== 'platform') throw new AppError('NOT_FOUND', 'Not found');
  const admin = await ctx.superAdmin();
  if (!admin) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  if (!admin.mfa) throw new AppError('FORBIDDEN', 'Multi-factor authentication is required');
  return next({ ctx: { superAdmin: admin } });
});
