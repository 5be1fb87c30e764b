import { describe, expect, it } from 'vitest';
import { fromRules, toRules } from '@/app/(tenant)/admin/roles/permission-grid';
import { asSubject, buildAbility, describeRule, type Role } from '@/server/authz';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';

/**
 * The role editor's grid must not change what a role can do: rules -> grid -> rules gives the same
 * answers for every default role, and the plain-word summary reads as the matrix says.
 */
const user = { userId: 'me', teamIds: ['t1'], branchId: 'b1' };
const probes = [
  ['read', asSubject('Conversation', { assigneeId: 'me', teamId: 'tx', branchId: 'bx' })],
  ['read', asSubject('Conversation', { assigneeId: 'x', teamId: 't1', branchId: 'bx' })],
  ['read', asSubject('Conversation', { assigneeId: 'x', teamId: 'tx', branchId: 'b1' })],
  ['reassign', asSubject('Conversation', { assigneeId: 'x', teamId: 't1' })],
  ['reply', asSubject('Conversation', { assigneeId: 'x', teamId: 'tx' })],
  ['read', asSubject('SlaReport', { agentId: 'me' })],
  ['update', 'RoutingRule'],
  ['create', 'Export'],
  ['read', 'AuditLog'],
  ['update', 'User'],
  ['update', 'Role'],
  ['create', 'Channel'],
  ['join', asSubject('Channel', { visibility: 'public' })],
  ['delete', asSubject('Message', { senderId: 'x' })],
  ['update', asSubject('Message', { senderId: 'me' })],
  ['pin', asSubject('Message', { senderId: 'x' })],
] as const;

describe('permission grid round trip', () => {
  for (const role of DEFAULT_ROLES) {
    it(role.name, () => {
      const grid = fromRules(role.permissions);
      const again: Role = { ...role, permissions: toRules(grid.fullAccess, grid.cells, grid.other) };
      const [a, b] = [buildAbility([role], { ...user, role: role.name }), buildAbility([again], { ...user, role: role.name })];
      for (const [action, subject] of probes) expect(b.can(action, subject as never), `${action} ${JSON.stringify(subject)}`).toBe(a.can(action, subject as never));
    });
  }
});

describe('plain words', () => {
  it('describes scopes the way the matrix does', () => {
    const agent = DEFAULT_ROLES.find((r) => r.name === 'Agent')!;
    expect(agent.permissions.map(describeRule)).toContain('Read, reply to and update conversations assigned to them');
    expect(describeRule({ action: 'read', subject: 'Conversation', conditions: { teamId: { $in: '${user.teamIds}' } } })).toBe('Read conversations in their teams');
    expect(describeRule({ action: 'manage', subject: 'all' })).toBe('Manage everything');
    expect(describeRule({ action: 'delete', subject: 'Message', inverted: true })).toBe('Cannot: delete team-chat messages');
  });
});
