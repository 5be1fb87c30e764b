import { isOpen, type BusinessHours } from '../sla/business-hours';
import type { RuleCondition } from './rules';

/**
 * Which routing rule fires for a message, and why. Rules are tried in order; the first enabled rule
 * whose conditions all hold wins. Every condition answers with a sentence, so the admin preview and
 * the event log can say exactly what happened.
 */
export interface RoutingContext {
  channel?: string;
  inboxId?: string;
  text: string;
  language?: string;
  tags?: string[];
  attributes?: Record<string, unknown>;
  branchId?: string;
  at: Date;
  businessHours?: BusinessHours | null;
}
export interface RuleLike {
  id: string;
  name: string;
  enabled: boolean;
  conditions: RuleCondition[];
  actions?: { teamId?: unknown; requiredSkills?: string[]; priority?: string | null; labels?: string[] } | null;
}
export interface ConditionResult {
  condition: RuleCondition;
  passed: boolean;
  reason: string;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]).map((x) => x.toLowerCase());

function actualOf(c: RuleCondition, ctx: RoutingContext): string[] {
  switch (c.field) {
    case 'channel': return [ctx.channel ?? ''];
    case 'inboxId': return [ctx.inboxId ?? ''];
    case 'language': return [ctx.language ?? ''];
    case 'branchId': return [ctx.branchId ?? ''];
    case 'tag': return ctx.tags ?? [];
    case 'keyword': return [ctx.text];
    case 'attribute': {
      const v = c.key ? ctx.attributes?.[c.key] : undefined;
      return v === undefined || v === null ? [] : [String(v)];
    }
    case 'businessHours': return [isOpen(ctx.businessHours, ctx.at) ? 'open' : 'closed'];
  }
}

export function checkCondition(c: RuleCondition, ctx: RoutingContext): ConditionResult {
  const wanted = list(c.value);
  const actual = actualOf(c, ctx).map((x) => x.toLowerCase());
  const label = c.field === 'attribute' ? `attribute "${c.key ?? '?'}"` : c.field === 'keyword' ? 'message' : c.field;
  let passed: boolean;
  let hit: string | undefined;
  if (c.field === 'keyword' || c.op === 'contains') {
    hit = wanted.find((w) => actual.some((a) => a.includes(w)));
    passed = Boolean(hit);
  } else {
    hit = wanted.find((w) => actual.includes(w));
    passed = Boolean(hit);
  }
  const shown = actual.length ? actual.map((a) => `"${a.length > 60 ? `${a.slice(0, 57)}...` : a}"`).join(', ') : 'nothing';
  const reason = passed
    ? `${label} ${c.field === 'keyword' ? 'contains' : 'is'} "${hit}"`
    : `${label} is ${shown}, not ${c.op === 'contains' || c.field === 'keyword' ? 'containing ' : ''}${wanted.map((w) => `"${w}"`).join(' or ')}`;
  return { condition: c, passed, reason };
}

export function evaluateRules<R extends RuleLike>(rules: R[], ctx: RoutingContext) {
  let matched: R | null = null;
  const results = rules.map((rule) => {
    if (matched) return { id: rule.id, name: rule.name, status: 'not_reached' as const, conditions: [] as ConditionResult[] };
    if (!rule.enabled) return { id: rule.id, name: rule.name, status: 'disabled' as const, conditions: [] };
    const conditions = rule.conditions.map((c) => checkCondition(c, ctx));
    const fires = conditions.every((c) => c.passed);
    if (fires) matched = rule;
    return { id: rule.id, name: rule.name, status: fires ? ('fired' as const) : ('skipped' as const), conditions };
  });
  const winner = matched as R | null;
  const explanation = winner
    ? `"${winner.name}" fires: ${results.find((r) => r.id === winner.id)!.conditions.map((c) => c.reason).join('; ') || 'it has no conditions'}.`
    : 'No rule fires: the conversation goes to any eligible agent with the default priority.';
  return { matched: winner, results, explanation };
}
