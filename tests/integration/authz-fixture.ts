import { Types } from 'mongoose';
import type { SessionUser } from '@/server/auth/session';
import { getEnv } from '@/server/env';
import { tenantModels } from '@/server/tenancy/connections';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { randomSlug } from './tenancy-helpers';

/**
 * A provisioned organisation with one active user per default role, all in team "mine" and branch
 * "mine", and conversations in every scope of DESIGN section 5: assigned to each role's user (in
 * another team and branch), in team "mine", in branch "mine", and elsewhere.
 */
export const ROLE_NAMES = DEFAULT_ROLES.map((r) => r.name);

export async function authzOrg(prefix = 'az') {
  const slug = randomSlug(prefix);
  await provisionOrganization({ slug, name: `Authz ${slug}`, firstAdmin: { email: `owner@${slug}.test` }, plan: { tier: 'pro', maxUsers: 100 } } as Parameters<typeof provisionOrganization>[0]);
  const m = tenantModels(slug);
  const [teamMine, teamOther] = await m.Team.create([{ name: 'Mine' }, { name: 'Other' }]);
  const [branchMine, branchOther] = await m.Branch.create([{ name: 'Mine', code: 'MINE' }, { name: 'Other', code: 'OTHER' }]);
  const someone = await m.User.create({ email: `someone@${slug}.test`, displayName: 'Someone', role: 'Agent', status: 'active' });
  const users: Record<string, SessionUser> = {};
  for (const role of ROLE_NAMES) {
    const u = await m.User.create({
      email: `${role.toLowerCase().replace(/ /g, '-')}@${slug}.test`,
      displayName: role,
      role,
      status: 'active',
      teamIds: [teamMine!._id],
      branchId: branchMine!._id,
    });
    users[role] = { id: String(u._id), email: u.email, name: role, role, teamIds: [String(teamMine!._id)], branchId: String(branchMine!._id) };
  }
  const customer = await m.Customer.create({ name: 'Customer' });
  const conv = (assigneeId: Types.ObjectId, teamId: Types.ObjectId, branchId: Types.ObjectId) => ({
    customerId: customer._id,
    channel: 'webchat' as const,
    status: 'open' as const,
    assigneeId,
    teamId,
    branchId,
    lastCustomerMessageAt: new Date(),
    firstResponseDueAt: new Date(Date.now() - 60_000),
  });
  const scoped = await m.Conversation.create([
    conv(someone._id, teamMine!._id, branchOther!._id),
    conv(someone._id, teamOther!._id, branchMine!._id),
    conv(someone._id, teamOther!._id, branchOther!._id),
  ]);
  const assigned: Record<string, string> = {};
  for (const role of ROLE_NAMES) {
    const c = await m.Conversation.create(conv(new Types.ObjectId(users[role]!.id), teamOther!._id, branchOther!._id));
    assigned[role] = String(c._id);
  }
  const channel = await m.Channel.create({ name: 'general', type: 'general', visibility: 'public' });
  return {
    slug,
    host: `${slug}.${getEnv().BASE_DOMAIN}`,
    users,
    someoneId: String(someone._id),
    teams: { mine: String(teamMine!._id), other: String(teamOther!._id) },
    branches: { mine: String(branchMine!._id), other: String(branchOther!._id) },
    conversations: { myTeam: String(scoped[0]!._id), myBranch: String(scoped[1]!._id), elsewhere: String(scoped[2]!._id), assigned },
    channelId: String(channel._id),
    caller: (role: string, host?: string) => createCaller(createInnerContext({ host: host ?? `${slug}.${getEnv().BASE_DOMAIN}`, user: users[role]! })),
  };
}
export type AuthzOrg = Awaited<ReturnType<typeof authzOrg>>;

/** 'OK' or the tRPC error code: what a matrix cell asserts. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code !== 'string') throw err;
    return code;
  }
}

/** Inputs that name the target organisation's things; procedures not listed get `undefined`. */
export function sampleInput(path: string, t: AuthzOrg): unknown {
  const samples: Record<string, unknown> = {
    'conversations.get': { id: t.conversations.myTeam },
    'conversations.reply': { conversationId: t.conversations.myTeam, text: 'cross-tenant' },
    'conversations.reassign': { id: t.conversations.myTeam, assigneeId: t.users.Agent!.id, teamId: t.teams.mine },
    'conversations.list': { teamId: t.teams.mine },
    'admin.users.list': { teamId: t.teams.mine },
    'admin.users.update': { id: t.users.Agent!.id, role: 'Admin', teamIds: [t.teams.mine] },
    'admin.users.setActive': { id: t.users.Agent!.id, active: false },
    'admin.users.invite': { email: 'x@cross.test', role: 'Agent', teamIds: [t.teams.mine], branchId: t.branches.mine },
    'admin.teams.update': { id: t.teams.mine, name: 'hijacked' },
    'admin.teams.delete': { id: t.teams.other },
    'admin.branches.update': { id: t.branches.mine, name: 'hijacked' },
    'admin.branches.delete': { id: t.branches.other },
    'admin.roles.delete': { name: 'Branch Manager' },
    'admin.roles.save': { originalName: 'Agent', role: { name: 'Agent', level: 20, permissions: [{ action: 'manage', subject: 'all' }] } },
    'chat.messages.edit': { id: t.channelId, content: 'x' },
    'chat.messages.delete': { id: t.channelId },
    'chat.messages.pin': { id: t.channelId },
    'routing.upsert': { id: t.teams.mine, name: 'x', order: 1 },
    'workspace.list': { view: 'all' },
    'workspace.messages': { conversationId: t.conversations.myTeam },
    'workspace.customer': { conversationId: t.conversations.myTeam },
    'workspace.templates': { conversationId: t.conversations.myTeam },
    'workspace.addNote': { conversationId: t.conversations.myTeam, text: 'cross-tenant' },
    'workspace.setStatus': { conversationId: t.conversations.myTeam, status: 'resolved' },
    'workspace.setPriority': { conversationId: t.conversations.myTeam, priority: 'urgent' },
    'workspace.markRead': { conversationId: t.conversations.myTeam },
  };
  return samples[path];
}

export async function callPath(ctx: ReturnType<typeof createInnerContext>, path: string, input: unknown) {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx));
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

