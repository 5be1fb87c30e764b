import { z } from 'zod';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { orgConfigCache } from '../routing/org-config-cache';
import { objectIdInput } from '../shared/ids';

/**
 * Engine settings per organisation (a Setting document): the default strategy, per-team strategies
 * and how long an agent may leave a new conversation unanswered before it moves on.
 */
export const STRATEGIES = ['round_robin', 'least_loaded'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const assignmentConfigInput = z.strictObject({
  defaultStrategy: z.enum(STRATEGIES).default('least_loaded'),
  teamStrategies: z.array(z.strictObject({ teamId: objectIdInput, strategy: z.enum(STRATEGIES) })).max(200).default([]),
  noAnswerSeconds: z.number().int().min(10).max(86_400).default(300),
});
export type AssignmentConfig = z.output<typeof assignmentConfigInput>;
const KEY = 'assignment.config';

export async function getAssignmentConfig(slug: string): Promise<AssignmentConfig> {
  const doc = await tenantModels(slug).Setting.findById(KEY).lean();
  return assignmentConfigInput.safeParse(doc?.value ?? {}).data ?? assignmentConfigInput.parse({});
}

/** What the engine reads on every drain pass: cached, dropped in every process on save. */
const cachedConfig = orgConfigCache('assignment.config', getAssignmentConfig);
export const assignmentConfigFor = (slug: string) => cachedConfig.get(slug);

export async function setAssignmentConfig(slug: string, input: z.input<typeof assignmentConfigInput>, actor: OrgActor) {
  const before = await getAssignmentConfig(slug);
  const after = assignmentConfigInput.parse(input);
  await tenantModels(slug).Setting.updateOne({ _id: { $eq: KEY } }, { $set: { value: after } }, { upsert: true });
  await cachedConfig.changed(slug);
  await auditOrgChange(slug, actor, 'assignment.config.updated', { type: 'RoutingRule', id: KEY }, { before, after });
  return after;
}

export function strategyFor(config: AssignmentConfig, teamId: string | undefined): Strategy {
  return config.teamStrategies.find((t) => t.teamId === teamId)?.strategy ?? config.defaultStrategy;
}
