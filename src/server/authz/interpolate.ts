import { PLACEHOLDERS, type Placeholder } from './vocabulary';
import type { StoredRule } from './rules';

/** The only values a stored rule can refer to. */
export interface RuleContext {
  userId: string;
  teamIds: string[];
  branchId: string | null;
}

function placeholderValue(name: Placeholder, ctx: RuleContext): unknown {
  switch (name) {
    case '${user.id}':
      return ctx.userId;
    case '${user.teamIds}':
      return ctx.teamIds;
    case '${user.branchId}':
      // No branch: a value that matches nothing, never "every document without a branch".
      return ctx.branchId ?? '__no-branch__';
  }
}

const isPlaceholder = (v: unknown): v is Placeholder => typeof v === 'string' && (PLACEHOLDERS as readonly string[]).includes(v);

/**
 * Resolve placeholders structurally (a reviver over parsed values, never a string replace on JSON),
 * so a user id containing quotes or `${` can never change a rule's shape. A string that merely looks
 * like a placeholder but is not whitelisted is an error, not a silent literal.
 */
export function resolveRule(rule: StoredRule, ctx: RuleContext): StoredRule {
  if (!rule.conditions) return rule;
  return { ...rule, conditions: resolveValue(rule.conditions, ctx) as Record<string, unknown> };
}

function resolveValue(value: unknown, ctx: RuleContext): unknown {
  if (isPlaceholder(value)) return placeholderValue(value, ctx);
  if (typeof value === 'string' && value.includes('${')) {
    throw new Error(`Unknown placeholder in permission: ${value}`);
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, ctx)]));
  }
  return value;
}
