import { describe, expect, it } from 'vitest';
import { asSubject, buildAbility, buildChannelAbility, type AbilityUser } from '@/server/authz';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';

/**
 * DESIGN.md section 5, cell by cell, at the ability level. (The same matrix is proven again
 * through the real tRPC procedures by the identity tests.)
 */
const me = 'u-me';
const other = 'u-other';
const user = (role: string): AbilityUser => ({ role, userId: me, teamIds: ['t-mine'], branchId: 'b-mine' });
const ability = (role: string) => buildAbility(DEFAULT_ROLES, user(role));

const conv = {
  assignedToMe: asSubject('Conversation', { assigneeId: me, teamId: 't-other', branchId: 'b-other' }),
  myTeam: asSubject('Conversation', { assigneeId: other, teamId: 't-mine', branchId: 'b-other' }),
  myBranch: asSubject('Conversation', { assigneeId: other, teamId: 't-other', branchId: 'b-mine' }),
  elsewhere: asSubject('Conversation', { assigneeId: other, teamId: 't-other', branchId: 'b-other' }),
};
type Scope = keyof typeof conv;
const scopes = Object.keys(conv) as Scope[];

const viewConversations: Record<string, Scope[]> = {
  Admin: scopes,
  Operations: scopes,
  'Team Lead': ['myTeam'],
  'Branch Manager': ['myBranch'],
  Agent: ['assignedToMe'],
  Member: [],
};

describe('view conversations', () => {
  for (const [role, visible] of Object.entries(viewConversations)) {
    it(`${role} sees ${visible.join(', ') || 'none'}`, () => {
      const a = ability(role);
      for (const s of scopes) expect(a.can('read', conv[s]), `${role} read ${s}`).toBe(visible.includes(s));
    });
  }
});

describe('reply to customers', () => {
  const expected: Record<string, Scope[]> = {
    Admin: scopes,
    Operations: scopes,
    'Team Lead': scopes,
    'Branch Manager': [],
    Agent: ['assignedToMe'],
    Member: [],
  };
  for (const [role, allowed] of Object.entries(expected)) {
    it(`${role}`, () => {
      for (const s of scopes) expect(ability(role).can('reply', conv[s]), `${role} reply ${s}`).toBe(allowed.includes(s));
    });
  }
});

describe('reassign conversations', () => {
  const expected: Record<string, Scope[]> = {
    Admin: scopes,
    Operations: scopes,
    'Team Lead': ['myTeam'],
    'Branch Manager': [],
    Agent: [],
    Member: [],
  };
  for (const [role, allowed] of Object.entries(expected)) {
    it(`${role}`, () => {
      for (const s of scopes) expect(ability(role).can('reassign', conv[s]), `${role} reassign ${s}`).toBe(allowed.includes(s));
    });
  }
});

const yesNo = (yes: string[]) => Object.fromEntries(DEFAULT_ROLES.map((r) => [r.name, yes.includes(r.name)]));

describe.each([
  ['configure routing rules', 'update', 'RoutingRule', yesNo(['Admin', 'Operations'])],
  ['configure SLA', 'update', 'SlaPolicy', yesNo(['Admin', 'Operations'])],
  ['manage users', 'update', 'User', yesNo(['Admin'])],
  ['manage roles', 'update', 'Role', yesNo(['Admin'])],
  ['export raw data', 'create', 'Export', yesNo(['Admin', 'Operations'])],
  ['view audit logs', 'read', 'AuditLog', yesNo(['Admin', 'Operations'])],
  ['team chat: create channels', 'create', 'Channel', yesNo(['Admin', 'Operations', 'Team Lead'])],
  ['team chat: delete any message', 'delete', 'Message', yesNo(['Admin', 'Operations', 'Team Lead'])],
  ['team chat: pin any message', 'pin', 'Message', yesNo(['Admin', 'Operations', 'Team Lead'])],
] as const)('%s', (_name, action, subjectType, expected) => {
  for (const [role, allowed] of Object.entries(expected)) {
    it(`${role}: ${allowed ? 'yes' : 'no'}`, () => {
      expect(ability(role).can(action, asSubject(subjectType, { senderId: other }))).toBe(allowed);
    });
  }
});

describe('view SLA reports', () => {
  const report = {
    self: asSubject('SlaReport', { agentId: me, teamId: 't-other', branchId: 'b-other' }),
    myTeam: asSubject('SlaReport', { agentId: other, teamId: 't-mine', branchId: 'b-other' }),
    myBranch: asSubject('SlaReport', { agentId: other, teamId: 't-other', branchId: 'b-mine' }),
    elsewhere: asSubject('SlaReport', { agentId: other, teamId: 't-other', branchId: 'b-other' }),
  };
  const expected: Record<string, Array<keyof typeof report>> = {
    Admin: ['self', 'myTeam', 'myBranch', 'elsewhere'],
    Operations: ['self', 'myTeam', 'myBranch', 'elsewhere'],
    'Team Lead': ['myTeam'],
    'Branch Manager': ['myBranch'],
    Agent: ['self'],
    Member: [],
  };
  for (const [role, visible] of Object.entries(expected)) {
    it(role, () => {
      for (const [k, doc] of Object.entries(report)) {
        expect(ability(role).can('read', doc), `${role} ${k}`).toBe(visible.includes(k as keyof typeof report));
      }
    });
  }
});

describe('team chat basics for every role', () => {
  for (const { name } of DEFAULT_ROLES) {
    it(`${name} reads and joins public channels, edits only own messages`, () => {
      const a = ability(name);
      expect(a.can('read', asSubject('Channel', { visibility: 'public', memberIds: [] }))).toBe(true);
      expect(a.can('join', asSubject('Channel', { visibility: 'public', memberIds: [] }))).toBe(true);
      expect(a.can('update', asSubject('Message', { senderId: me }))).toBe(true);
      expect(a.can('delete', asSubject('Message', { senderId: me }))).toBe(true);
      const moderator = ['Admin', 'Operations', 'Team Lead'].includes(name);
      expect(a.can('update', asSubject('Message', { senderId: other }))).toBe(name === 'Admin');
      expect(a.can('delete', asSubject('Message', { senderId: other }))).toBe(moderator);
      expect(a.can('read', asSubject('Channel', { visibility: 'private', memberIds: [other] }))).toBe(moderator);
    });
  }
});

describe('safety of abilities', () => {
  it('an unknown role is an error, not an empty ability', () => {
    expect(() => ability('Agnet')).toThrow(/Role "Agnet" does not exist/);
  });

  it('a hostile user id is a plain value, never part of a rule', () => {
    const hostile = '"} , "$where": "1';
    const a = buildAbility(DEFAULT_ROLES, { ...user('Agent'), userId: hostile });
    expect(a.can('read', asSubject('Conversation', { assigneeId: hostile }))).toBe(true);
    expect(a.can('read', asSubject('Conversation', { assigneeId: me }))).toBe(false);
  });

  it('a channel role overrides the org role on that channel', () => {
    const member = user('Member');
    expect(buildChannelAbility(DEFAULT_ROLES, member, null).can('delete', asSubject('Message', { senderId: other }))).toBe(false);
    expect(buildChannelAbility(DEFAULT_ROLES, member, 'Team Lead').can('delete', asSubject('Message', { senderId: other }))).toBe(true);
    expect(() => buildChannelAbility(DEFAULT_ROLES, member, 'Nope')).toThrow(/does not exist/);
  });

  it('ObjectId-like ids compare as strings', () => {
    const oid = { _bsontype: 'ObjectId', toString: () => me };
    expect(ability('Agent').can('read', asSubject('Conversation', { assigneeId: oid as unknown as string }))).toBe(true);
  });
});
