import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { PRIORITIES } from '../../db/models/tenant';
import { auditOrgChange, type OrgActor } from '../audit';
import { objectIdInput, oid, plain } from '../shared/ids';

/**
 * Routing rules and the SLA policy: the configuration side only (the assignment engine that applies
 * them is its own issue). Conditions are a closed vocabulary, never raw MongoDB queries.
 */
const condition = z.strictObject({
  field: z.enum(['channel', 'inboxId', 'language', 'tag', 'keyword']),
  op: z.enum(['equals', 'contains', 'in']),
  value: z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]),
});
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
  return rules.map((r) => ({ ...plain(r), id: String(r._id) }));
}

export async function upsertRoutingRule(slug: string, { id, ...input }: z.infer<typeof routingRuleInput>, actor: OrgActor) {
  const { RoutingRule } = tenantModels(slug);
  const doc = { ...input, actions: { ...input.actions, teamId: input.actions.teamId ? oid(input.actions.teamId) : undefined } };
  if (!id) {
    const created = await RoutingRule.create(doc);
    await auditOrgChange(slug, actor, 'routing.rule.created', { type: 'RoutingRule', id: String(created._id) }, { after: plain(created.toObject()) });
    return { id: String(created._id) };
  }
  const before = await RoutingRule.findById(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Routing rule not found');
  const after = await RoutingRule.findByIdAndUpdate(id, { $set: doc }, { returnDocument: 'after', runValidators: true }).lean();
  await auditOrgChange(slug, actor, 'routing.rule.updated', { type: 'RoutingRule', id }, { before: plain(before), after: plain(after) });
  return { id };
}

export const slaPolicyInput = z.strictObject({
  firstResponseMinutes: z.number().int().min(1).max(10_080),
  resolutionMinutes: z.number().int().min(1).max(43_200),
});
const SLA_KEY = 'sla.policy';

export async function getSlaPolicy(slug: string) {
  const doc = await tenantModels(slug).Setting.findById(SLA_KEY).lean();
  return slaPolicyInput.safeParse(doc?.value).data ?? { firstResponseMinutes: 15, resolutionMinutes: 1440 };
}

export async function setSlaPolicy(slug: string, input: z.infer<typeof slaPolicyInput>, actor: OrgActor) {
  const before = await getSlaPolicy(slug);
  await tenantModels(slug).Setting.updateOne({ _id: { $eq: SLA_KEY } }, { $set: { value: input } }, { upsert: true });
  await auditOrgChange(slug, actor, 'sla.policy.updated', { type: 'SlaPolicy', id: SLA_KEY }, { before, after: input });
}
