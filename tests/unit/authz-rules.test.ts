import { describe, expect, it } from 'vitest';
import { resolveRule, roleSchema, storedRuleSchema } from '@/server/authz';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';

describe('stored rules', () => {
  it('accepts every default role', () => {
    for (const role of DEFAULT_ROLES) expect(() => roleSchema.parse(role)).not.toThrow();
  });

  it('rejects unknown actions, subjects, keys and code-evaluating operators', () => {
    expect(storedRuleSchema.safeParse({ action: 'destroy', subject: 'User' }).success).toBe(false);
    expect(storedRuleSchema.safeParse({ action: 'read', subject: 'Users' }).success).toBe(false);
    expect(storedRuleSchema.safeParse({ action: 'read', subject: 'User', extra: 1 }).success).toBe(false);
    const where = storedRuleSchema.safeParse({ action: 'read', subject: 'User', conditions: { $where: 'sleep(1)' } });
    expect(where.success).toBe(false);
    expect(JSON.stringify(where.error?.issues)).toContain('$where');
  });

  it('resolves whitelisted placeholders structurally and refuses unknown ones', () => {
    const ctx = { userId: 'u1', teamIds: ['a', 'b'], branchId: null };
    const rule = resolveRule({ action: 'read', subject: 'Conversation', conditions: { teamId: { $in: '${user.teamIds}' }, x: '${user.id}' } }, ctx);
    expect(rule.conditions).toEqual({ teamId: { $in: ['a', 'b'] }, x: 'u1' });
    expect(resolveRule({ action: 'read', subject: 'Conversation', conditions: { b: '${user.branchId}' } }, ctx).conditions).toEqual({ b: '__no-branch__' });
    expect(() => resolveRule({ action: 'read', subject: 'User', conditions: { a: '${process.env}' } }, ctx)).toThrow(/Unknown placeholder/);
  });
});
