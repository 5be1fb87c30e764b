import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { PRIORITIES } from '../../db/models/tenant';
import { auditOrgChange, type OrgActor } from '../audit';
import { objectIdInput, oid, plain } from '../shared/ids';
import { orgConfigCache } from './org-config-cache';

/**
 * Routing rules, kept in order. Conditions are a closed vocabulary evaluated in code (evaluate.ts),
 * never raw MongoDB queries.
 */
export const CONDITION_FIELDS = ['channel', 'inboxId', 'language', 'tag', 'keyword', 'attribute', 'businessHours', 'branchId'] as const;
export const condition = z.strictObject({
  field: z.enum(CONDITION_FIELDS),
  /** The customer attribute's name (field `attribute` only). */
  key: z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9_-]+$/).optional(),
  op: z.enum(['equals', 'contains', 'in']),
  value: z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]),
});
export type RuleCondition = z.output<typeof condition>;
export const routingRuleInput = z.strictObject({
  id: objectIdInput.optional(),
  name: z.string().trim().min(1).max(80),
  order: z.number().int().min(0).max(10_000),
  enabled: z.boolean().default(true),
  conditions: z.array(condition).max(20).default([]),
  actions: z
    .strictObject({
      teamId: objectIdInput.optional(),
      requiredSkills: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
      priority: z.enum(PRIORITIES).optional(),
      labels: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    })
    .default({}),
});

export async function listRoutingRules(slug: string) {
  const rules = await tenantModels(slug).RoutingRule.find().sort({ order: 1 }).limit(500).lean();
  // Conditions were validated on save; parsing again gives them their type and drops any stray shape.
  return rules.map((r) => ({ ...plain(r), id: String(r._id), conditions: condition.array().catch([]).parse(plain(r.conditions)) }));
}

/** The rules as routing reads them on every new conversation: cached, dropped on every save. */
const cachedRules = orgConfigCache('routing.rules', listRoutingRules);
export const routingRulesFor = (slug: string) => cachedRules.get(slug);

export async function upsertRoutingRule(slug: string, { id, ...input }: z.infer<typeof routingRuleInput>, actor: OrgActor) {
  const { RoutingRule } = tenantModels(slug);
  const doc = { ...input, actions: { ...input.actions, teamId: input.actions.teamId ? oid(input.actions.teamId) : undefined } };
  if (!id) {
    const created = await RoutingRule.create(doc);
    await cachedRules.changed(slug);
    await auditOrgChange(slug, actor, 'routing.rule.created', { type: 'RoutingRule', id: String(created._id) }, { after: plain(created.toObject()) });
    return { id: String(created._id) };
  }
  const before = await RoutingRule.findById(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Routing rule not found');
  const after = await RoutingRule.findByIdAndUpdate(id, { $set: doc }, { returnDocument: 'after', runValidators: true }).lean();
  await cachedRules.changed(slug);
  await auditOrgChange(slug, actor, 'routing.rule.updated', { type: 'RoutingRule', id }, { before: plain(before), after: plain(after) });
  return { id };
}

export async function deleteRoutingRule(slug: string, id: string, actor: OrgActor) {
  const before = await tenantModels(slug).RoutingRule.findByIdAndDelete(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Routing rule not found');
  await cachedRules.changed(slug);
  await auditOrgChange(slug, actor, 'routing.rule.deleted', { type: 'RoutingRule', id }, { before: plain(before) });
}

/** Save a new order (ids first to last); rules not listed keep their place after them. */
export async function reorderRoutingRules(slug: string, ids: string[], actor: OrgActor) {
  const { RoutingRule } = tenantModels(slug);
  await RoutingRule.bulkWrite(ids.map((id, i) => ({ updateOne: { filter: { _id: oid(id) }, update: { $set: { order: (i + 1) * 10 } } } })));
  await cachedRules.changed(slug);
  await auditOrgChange(slug, actor, 'routing.rules.reordered', { type: 'RoutingRule', id: 'order' }, { after: { ids } });
}
