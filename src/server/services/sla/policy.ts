import { z } from 'zod';
import { PRIORITIES } from '../../db/models/tenant';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { objectIdInput } from '../shared/ids';
import { businessHoursInput } from './business-hours';

/**
 * The SLA policy (a Setting document): default first-response and resolution targets, optional
 * targets per priority and team, optional business hours. The most specific target wins:
 * priority + team, then priority alone, then the defaults.
 */
const target = z.strictObject({
  priority: z.enum(PRIORITIES),
  teamId: objectIdInput.optional(),
  firstResponseMinutes: z.number().int().min(1).max(10_080),
  resolutionMinutes: z.number().int().min(1).max(43_200),
});
export const slaPolicyInput = z.strictObject({
  firstResponseMinutes: z.number().int().min(1).max(10_080),
  resolutionMinutes: z.number().int().min(1).max(43_200),
  targets: z.array(target).max(100).optional(),
  businessHours: businessHoursInput.nullable().optional(),
});
export type SlaPolicy = z.output<typeof slaPolicyInput>;
const SLA_KEY = 'sla.policy';

export async function getSlaPolicy(slug: string): Promise<SlaPolicy> {
  const doc = await tenantModels(slug).Setting.findById(SLA_KEY).lean();
  return slaPolicyInput.safeParse(doc?.value).data ?? { firstResponseMinutes: 15, resolutionMinutes: 1440 };
}

export async function setSlaPolicy(slug: string, input: SlaPolicy, actor: OrgActor) {
  const before = await getSlaPolicy(slug);
  await tenantModels(slug).Setting.updateOne({ _id: { $eq: SLA_KEY } }, { $set: { value: input } }, { upsert: true });
  await auditOrgChange(slug, actor, 'sla.policy.updated', { type: 'SlaPolicy', id: SLA_KEY }, { before, after: input });
}

export function targetFor(policy: SlaPolicy, priority: string | undefined, teamId: string | undefined) {
  const p = priority ?? 'normal';
  const t =
    policy.targets?.find((x) => x.priority === p && teamId && x.teamId === teamId) ??
    policy.targets?.find((x) => x.priority === p && !x.teamId);
  return { firstResponseMinutes: t?.firstResponseMinutes ?? policy.firstResponseMinutes, resolutionMinutes: t?.resolutionMinutes ?? policy.resolutionMinutes };
}
