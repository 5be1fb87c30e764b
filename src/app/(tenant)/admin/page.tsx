import { redirect } from 'next/navigation';
import { requireSession } from '../../_lib/request-session';
import { requestOrg } from '../../_lib/request-org';
import { ADMIN_SECTIONS } from './_ui/admin-sections';
import { buildAbility, type Role } from '@/server/authz';
import { loadOrg } from '@/server/tenancy/resolve';

/**
 * /admin opens the first section this user may use (an Operations user has no Users page but may
 * have Routing); someone with none is sent back to the workspace rather than to a refusal.
 */
export default async function AdminHome() {
  const user = await requireSession('/admin');
  const org = await requestOrg();
  const roles = ((org && (await loadOrg(org.slug))?.roles) ?? []) as Role[];
  const ability = buildAbility(roles, { role: user.role, userId: user.id, teamIds: user.teamIds, branchId: user.branchId ?? null });
  const first = ADMIN_SECTIONS.find((s) => ability.can(s.action, s.subject));
  redirect(first?.href ?? '/inbox');
}
