import { z } from 'zod';
import { auditListInput, listOrgAudit } from '../../services/audit';
import { branchInput, branchPatch, createBranch, deleteBranch, listBranches, updateBranch } from '../../services/branches';
import { deleteRole, listRoles, roleSave, saveRole } from '../../services/roles';
import { objectIdInput } from '../../services/shared/ids';
import { createTeam, deleteTeam, listTeams, teamInput, teamPatch, updateTeam } from '../../services/teams';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';
import { adminUsersRouter } from './admin-users';

const none = z.strictObject({}).optional();
const byId = z.strictObject({ id: objectIdInput });

/** The tenant admin console: users, teams, branches, roles and the audit log. */
export const adminRouter = router({
  users: adminUsersRouter,
  teams: router({
    list: can('read', 'Team').input(none).query(({ ctx }) => listTeams(ctx.org.slug)),
    create: can('create', 'Team').input(teamInput).mutation(({ ctx, input }) => createTeam(ctx.org.slug, input, actorOf(ctx))),
    update: can('update', 'Team').input(teamPatch).mutation(({ ctx, input }) => updateTeam(ctx.org.slug, input, actorOf(ctx))),
    delete: can('delete', 'Team').input(byId).mutation(({ ctx, input }) => deleteTeam(ctx.org.slug, input.id, actorOf(ctx))),
  }),
  branches: router({
    list: can('read', 'Branch').input(none).query(({ ctx }) => listBranches(ctx.org.slug)),
    create: can('create', 'Branch').input(branchInput).mutation(({ ctx, input }) => createBranch(ctx.org.slug, input, actorOf(ctx))),
    update: can('update', 'Branch').input(branchPatch).mutation(({ ctx, input }) => updateBranch(ctx.org.slug, input, actorOf(ctx))),
    delete: can('delete', 'Branch').input(byId).mutation(({ ctx, input }) => deleteBranch(ctx.org.slug, input.id, actorOf(ctx))),
  }),
  roles: router({
    list: can('read', 'Role').input(none).query(({ ctx }) => listRoles(ctx.org.slug)),
    save: can('update', 'Role').input(roleSave).mutation(({ ctx, input }) => saveRole(ctx.org.slug, input, actorOf(ctx))),
    delete: can('delete', 'Role')
      .input(z.strictObject({ name: z.string().trim().min(1).max(60) }))
      .mutation(({ ctx, input }) => deleteRole(ctx.org.slug, input.name, actorOf(ctx))),
  }),
  audit: router({
    list: can('read', 'AuditLog').input(auditListInput).query(({ ctx, input }) => listOrgAudit(ctx.org.slug, input)),
  }),
});
