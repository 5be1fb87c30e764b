import type { StoredRule } from '@/server/authz/rules';
import type { Action, Subject } from '@/server/authz/vocabulary';

/**
 * The role editor's model: a grid of (subject, action) cells, each with a scope, converted to and
 * from stored CASL rules. Rules the grid cannot express are kept untouched as "other rules".
 */
export type Scope = 'none' | 'all' | 'teams' | 'branch' | 'own';

export const SCOPE_LABEL: Record<Scope, string> = { none: 'No', all: 'All', teams: 'In their teams', branch: 'In their branch', own: 'Their own' };

/** The field that says "theirs", per subject; subjects without one cannot be scoped to "own". */
const OWNER: Partial<Record<Subject, string>> = { Conversation: 'assigneeId', SlaReport: 'agentId', Message: 'senderId', File: 'uploadedBy' };
const TEAM_SCOPED = new Set<Subject>(['Conversation', 'SlaReport']);

export const GRID: Array<{ subject: Subject; label: string; actions: Action[] }> = [
  { subject: 'Conversation', label: 'Conversations', actions: ['read', 'reply', 'reassign', 'update'] },
  { subject: 'ConversationMessage', label: 'Conversation messages', actions: ['read', 'create'] },
  { subject: 'Customer', label: 'Customers', actions: ['read', 'update'] },
  { subject: 'RoutingRule', label: 'Routing rules', actions: ['read', 'update'] },
  { subject: 'SlaPolicy', label: 'SLA policy', actions: ['read', 'update'] },
  { subject: 'SlaReport', label: 'SLA reports', actions: ['read'] },
  { subject: 'Export', label: 'Data exports', actions: ['create'] },
  { subject: 'AuditLog', label: 'Audit log', actions: ['read'] },
  { subject: 'User', label: 'Users', actions: ['read', 'create', 'update'] },
  { subject: 'Role', label: 'Roles', actions: ['read', 'update', 'delete'] },
  { subject: 'Team', label: 'Teams', actions: ['read', 'create', 'update', 'delete'] },
  { subject: 'Branch', label: 'Branches', actions: ['read', 'create', 'update', 'delete'] },
  { subject: 'Channel', label: 'Chat channels', actions: ['read', 'join', 'create', 'update', 'delete'] },
  { subject: 'Message', label: 'Chat messages', actions: ['create', 'update', 'delete', 'pin'] },
];

export function scopesFor(subject: Subject): Scope[] {
  return ['none', 'all', ...(TEAM_SCOPED.has(subject) ? (['teams', 'branch'] as Scope[]) : []), ...(OWNER[subject] ? (['own'] as Scope[]) : [])];
}

function conditionsOf(subject: Subject, scope: Scope): Record<string, unknown> | undefined {
  if (scope === 'teams') return { teamId: { $in: '${user.teamIds}' } };
  if (scope === 'branch') return { branchId: '${user.branchId}' };
  if (scope === 'own') return { [OWNER[subject]!]: '${user.id}' };
  return undefined;
}

function scopeOf(subject: Subject, conditions: Record<string, unknown> | undefined): Scope | null {
  for (const s of scopesFor(subject).slice(1)) if (JSON.stringify(conditionsOf(subject, s)) === JSON.stringify(conditions)) return s;
  return null;
}

export type Cells = Record<string, Scope>;
export const cellKey = (subject: string, action: string) => `${subject}:${action}`;
const inGrid = (s: Subject, a: Action) => GRID.some((row) => row.subject === s && row.actions.includes(a));
const arr = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
const RANK: Record<Scope, number> = { none: 0, own: 1, branch: 2, teams: 2, all: 3 };

export function fromRules(rules: StoredRule[]): { fullAccess: boolean; cells: Cells; other: StoredRule[] } {
  const cells: Cells = {};
  const other: StoredRule[] = [];
  let fullAccess = false;
  for (const rule of rules) {
    const actions = arr(rule.action) as Action[];
    const subjects = arr(rule.subject) as Subject[];
    if (actions.includes('manage') && subjects.includes('all') && !rule.conditions && !rule.inverted) {
      fullAccess = true;
      continue;
    }
    const scopes = subjects.map((s) => scopeOf(s, rule.conditions) ?? (rule.conditions ? null : 'all'));
    const expressible = !rule.inverted && !rule.fields && scopes.every(Boolean) && subjects.every((s) => actions.every((a) => inGrid(s, a)));
    if (!expressible) {
      other.push(rule);
      continue;
    }
    subjects.forEach((s, i) => {
      for (const a of actions) {
        const k = cellKey(s, a);
        if (RANK[scopes[i]!] > RANK[cells[k] ?? 'none']) cells[k] = scopes[i]!;
      }
    });
  }
  return { fullAccess, cells, other };
}

export function toRules(fullAccess: boolean, cells: Cells, other: StoredRule[]): StoredRule[] {
  if (fullAccess) return [{ action: 'manage', subject: 'all' }];
  const rules: StoredRule[] = [];
  for (const row of GRID) {
    // One rule per subject and scope, so "read, reply to and update conversations assigned to them"
    // stays one sentence.
    const byScope = new Map<Scope, Action[]>();
    for (const a of row.actions) {
      const scope = cells[cellKey(row.subject, a)] ?? 'none';
      if (scope !== 'none') byScope.set(scope, [...(byScope.get(scope) ?? []), a]);
    }
    for (const [scope, actions] of byScope) {
      const conditions = conditionsOf(row.subject, scope);
      rules.push({ action: actions.length === 1 ? actions[0]! : actions, subject: row.subject, ...(conditions ? { conditions } : {}) });
    }
  }
  return [...rules, ...other];
}
