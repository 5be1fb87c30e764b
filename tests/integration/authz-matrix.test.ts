import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, outcome, ROLE_NAMES, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * DESIGN section 5, every cell, through the real tRPC procedures (createCaller + inner context with
 * a session user of each default role). The same matrix at the ability level: tests/unit/authz-role-matrix.
 */
let o: AuthzOrg;

beforeAll(async () => {
  isolateRedisPrefix('authz-matrix'); // replies enqueue outbound jobs: keep them off other files' workers
  await startTenancy();
  o = await authzOrg();
});

afterAll(async () => {
  await closeQueues();
  await stopTenancy();
});

type Scope = 'assigned' | 'myTeam' | 'myBranch' | 'elsewhere';
const ALL: Scope[] = ['assigned', 'myTeam', 'myBranch', 'elsewhere'];
const convId = (role: string, s: Scope) => (s === 'assigned' ? o.conversations.assigned[role]! : o.conversations[s]);

describe('view conversations (all / own teams / own branch / assigned / none)', () => {
  const expected: Record<string, Scope[] | 'FORBIDDEN'> = {
    Admin: ALL,
    Operations: ALL,
    'Team Lead': ['myTeam'],
    'Branch Manager': ['myBranch'],
    Agent: ['assigned'],
    Member: 'FORBIDDEN',
  };
  for (const role of ROLE_NAMES) {
    it(role, async () => {
      const exp = expected[role]!;
      const call = o.caller(role);
      if (exp === 'FORBIDDEN') {
        expect(await outcome(call.conversations.list())).toBe('FORBIDDEN');
        expect(await outcome(call.conversations.get({ id: o.conversations.myTeam }))).toBe('FORBIDDEN');
        return;
      }
      const listed = new Set((await call.conversations.list({ limit: 200 })).map((c) => c.id));
      const own = new Set(exp.map((s) => convId(role, s)));
      // Admin and Operations also see the other roles' assigned conversations.
      if (exp === ALL) for (const id of Object.values(o.conversations.assigned)) own.add(id);
      expect(listed).toEqual(own);
      for (const s of ALL) {
        expect(await outcome(call.conversations.get({ id: convId(role, s) })), `${role} get ${s}`).toBe(exp.includes(s) ? 'OK' : 'NOT_FOUND');
      }
    });
  }
});

describe('reply to customers (yes / assigned to them / no)', () => {
  // Team Leads may reply to every conversation they can see; Agents only to theirs.
  const expected: Record<string, Scope[] | 'FORBIDDEN'> = {
    Admin: ALL,
    Operations: ALL,
    'Team Lead': ['myTeam'],
    'Branch Manager': 'FORBIDDEN',
    Agent: ['assigned'],
    Member: 'FORBIDDEN',
  };
  for (const role of ROLE_NAMES) {
    it(role, async () => {
      const exp = expected[role]!;
      for (const s of ALL) {
        const got = await outcome(o.caller(role).conversations.reply({ conversationId: convId(role, s), text: `hello from ${role}` }));
        const want = exp === 'FORBIDDEN' ? 'FORBIDDEN' : exp.includes(s) ? 'OK' : 'NOT_FOUND';
        expect(got, `${role} reply ${s}`).toBe(want);
      }
      const sent = await tenantModels(o.slug).ConversationMessage.countDocuments({ content: `hello from ${role}` });
      expect(sent).toBe(exp === 'FORBIDDEN' ? 0 : exp.length);
    });
  }
});

describe('reassign conversations (yes / within own teams / no)', () => {
  const same = async (role: string, id: string, teamId?: string) => {
    const c = await tenantModels(o.slug).Conversation.findById(id).lean();
    return o.caller(role).conversations.reassign({ id, assigneeId: String(c!.assigneeId), ...(teamId ? { teamId } : {}) });
  };
  for (const role of ['Admin', 'Operations']) {
    it(`${role}: any conversation, any team`, async () => {
      expect(await outcome(same(role, o.conversations.elsewhere))).toBe('OK');
      expect(await outcome(same(role, o.conversations.myTeam, o.teams.mine))).toBe('OK');
    });
  }
  it('Team Lead: within own teams only', async () => {
    expect(await outcome(same('Team Lead', o.conversations.myTeam, o.teams.mine))).toBe('OK');
    expect(await outcome(same('Team Lead', o.conversations.myTeam, o.teams.other))).toBe('FORBIDDEN');
    expect(await outcome(same('Team Lead', o.conversations.elsewhere))).toBe('NOT_FOUND');
    const c = await tenantModels(o.slug).Conversation.findById(o.conversations.myTeam).lean();
    expect(String(c!.teamId)).toBe(o.teams.mine);
  });
  for (const role of ['Branch Manager', 'Agent', 'Member']) {
    it(`${role}: never`, async () => {
      expect(await outcome(same(role, convId(role, 'assigned')))).toBe('FORBIDDEN');
      expect(await outcome(same(role, o.conversations.myBranch))).toBe('FORBIDDEN');
    });
  }
});

const yesFor = (roles: string[]) => Object.fromEntries(ROLE_NAMES.map((r) => [r, roles.includes(r) ? 'OK' : 'FORBIDDEN']));

describe('configure routing rules and SLA (Admin, Operations)', () => {
  const expected = yesFor(['Admin', 'Operations']);
  for (const role of ROLE_NAMES) {
    it(role, async () => {
      const call = o.caller(role);
      expect(await outcome(call.routing.upsert({ name: `rule by ${role}`, order: 1 }))).toBe(expected[role]);
      expect(await outcome(call.routing.setSla({ firstResponseMinutes: 10, resolutionMinutes: 600 }))).toBe(expected[role]);
      expect(await tenantModels(o.slug).RoutingRule.countDocuments({ name: `rule by ${role}` })).toBe(expected[role] === 'OK' ? 1 : 0);
    });
  }
});

describe('manage users and roles (Admin only)', () => {
  const expected = yesFor(['Admin']);
  for (const role of ROLE_NAMES) {
    it(role, async () => {
      const call = o.caller(role);
      expect(await outcome(call.admin.users.update({ id: o.someoneId, skills: [`set-by-${role}`] }))).toBe(expected[role]);
      expect(await outcome(call.admin.roles.list())).toBe(expected[role]);
      expect(await outcome(call.admin.teams.create({ name: `team by ${role}` }))).toBe(expected[role]);
      const someone = await tenantModels(o.slug).User.findById(o.someoneId).lean();
      expect(someone!.skills.includes(`set-by-${role}`)).toBe(expected[role] === 'OK');
    });
  }
});

describe('view SLA reports (all / own teams / own branch / self / none)', () => {
  it('each role sees exactly its rows', async () => {
    const rowsOf = (role: string) => o.caller(role).reports.sla();
    const all = await rowsOf('Admin');
    expect(all.reduce((n, r) => n + r.conversations, 0)).toBe(3 + ROLE_NAMES.length);
    expect(await rowsOf('Operations')).toEqual(all);
    const lead = await rowsOf('Team Lead');
    expect(lead.length).toBeGreaterThan(0);
    expect(lead.every((r) => r.teamId === o.teams.mine)).toBe(true);
    const bm = await rowsOf('Branch Manager');
    expect(bm.length).toBeGreaterThan(0);
    expect(bm.every((r) => r.branchId === o.branches.mine)).toBe(true);
    const agent = await rowsOf('Agent');
    expect(agent).toEqual([expect.objectContaining({ agentId: o.users.Agent!.id, conversations: 1, firstResponseBreached: 1 })]);
    expect(await outcome(rowsOf('Member'))).toBe('FORBIDDEN');
  });
});

describe('export raw data (Admin, Operations)', () => {
  const expected = yesFor(['Admin', 'Operations']);
  for (const role of ROLE_NAMES) {
    it(role, async () => {
      const res = o.caller(role).reports.exportConversations();
      expect(await outcome(res)).toBe(expected[role]);
      if (expected[role] === 'OK') expect((await res).rows).toBe(3 + ROLE_NAMES.length);
    });
  }
});

describe('view audit logs (Admin, Operations)', () => {
  const expected = yesFor(['Admin', 'Operations']);
  for (const role of ROLE_NAMES) it(role, async () => expect(await outcome(o.caller(role).admin.audit.list())).toBe(expected[role]));
});

describe('team chat', () => {
  const post = async (senderId: string) =>
    String((await tenantModels(o.slug).Message.create({ channelId: o.channelId, senderId: new Types.ObjectId(senderId), content: 'hi' }))._id);
  const moderators = yesFor(['Admin', 'Operations', 'Team Lead']);

  for (const role of ROLE_NAMES) {
    it(`${role}: reads public channels, edits and deletes own messages`, async () => {
      const call = o.caller(role);
      expect((await call.chat.channels.list()).map((c) => c.id)).toContain(o.channelId);
      const mine = await post(o.users[role]!.id);
      expect(await outcome(call.chat.messages.edit({ id: mine, content: 'edited' }))).toBe('OK');
      expect(await outcome(call.chat.messages.delete({ id: mine }))).toBe('OK');
    });

    it(`${role}: channel CRUD, delete and pin any message: ${moderators[role]}`, async () => {
      const call = o.caller(role);
      expect(await outcome(call.chat.channels.create({ name: `by ${role}` }))).toBe(moderators[role]);
      const theirs = await post(o.someoneId);
      expect(await outcome(call.chat.messages.pin({ id: theirs }))).toBe(moderators[role]);
      expect(await outcome(call.chat.messages.delete({ id: theirs }))).toBe(moderators[role]);
      // Editing someone else's words is nobody's right but the Admin's (manage all).
      const other = await post(o.someoneId);
      expect(await outcome(call.chat.messages.edit({ id: other, content: 'x' }))).toBe(role === 'Admin' ? 'OK' : 'FORBIDDEN');
    });
  }

  it('a channel-level role overrides the org role in that channel (decision 8)', async () => {
    const theirs = await post(o.someoneId);
    expect(await outcome(o.caller('Member').chat.messages.delete({ id: theirs }))).toBe('FORBIDDEN');
    await tenantModels(o.slug).ChannelMembership.create({ channelId: o.channelId, userId: o.users.Member!.id, role: 'Team Lead' });
    expect(await outcome(o.caller('Member').chat.messages.delete({ id: theirs }))).toBe('OK');
  });
});
