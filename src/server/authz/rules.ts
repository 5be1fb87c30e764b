import { z } from 'zod';
import { ACTIONS, SUBJECTS } from './vocabulary';

/**
 * A permission as stored in `org.roles[].permissions`: a CASL raw rule whose conditions may contain
 * placeholders (see vocabulary.ts). Validated strictly when a role is saved, so a typo is an error
 * instead of a silently empty ability.
 */
const action = z.enum(ACTIONS);
const subject = z.enum(SUBJECTS);
const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t).min(1)]);

// Conditions are a small MongoDB query over a document's own fields. Only these operators are
// allowed in stored rules: enough for scopes, nothing that evaluates code ($where, $function...).
const CONDITION_OPERATORS = new Set(['$in', '$nin', '$eq', '$ne', '$exists', '$all', '$elemMatch', '$gt', '$gte', '$lt', '$lte', '$and', '$or']);

function checkConditions(value: unknown, path: string, ctx: z.RefinementCtx): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('$') && !CONDITION_OPERATORS.has(key)) {
      ctx.addIssue({ code: 'custom', message: `operator ${key} is not allowed in a permission (${path})` });
    }
    checkConditions(inner, `${path}.${key}`, ctx);
  }
}

export const storedRuleSchema = z
  .object({
    action: oneOrMany(action),
    subject: oneOrMany(subject),
    conditions: z.record(z.string(), z.unknown()).optional(),
    fields: oneOrMany(z.string().min(1)).optional(),
    inverted: z.boolean().optional(),
    reason: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => checkConditions(rule.conditions, 'conditions', ctx));

export type StoredRule = z.infer<typeof storedRuleSchema>;

export const roleSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    level: z.number().int().min(0).max(1000),
    description: z.string().max(300).optional(),
    permissions: z.array(storedRuleSchema).max(200),
  })
  .strict();

export type Role = z.infer<typeof roleSchema>;
