import { z } from 'zod';
import { platformModels } from '../db/models/platform';
import { ORG_SECRET_PATHS, secretStatus, secretUpdate, type OrgSecretPath } from '../crypto/secret-fields';
import { AppError } from '../errors';
import { writeAudit } from '../services/audit';
import { publishOrgConfigUpdated } from './config-events';
import {
  actorInput,
  brandingInput,
  channelTypeInput,
  featuresInput,
  parseInput,
  planInput,
  slugInput,
  type Actor,
} from './org-input';

/**
 * Organisation settings edited by super admins (and org admins where allowed): everything except
 * secrets goes through updateOrgSettings; secrets through setOrgSecrets, which is write-only.
 */
export const settingsPatch = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    branding: brandingInput.partial().optional(),
    features: featuresInput.optional(),
    plan: planInput.partial().optional(),
    channelTypes: z.array(channelTypeInput).max(20).optional(),
    authMethod: z.enum(['password', 'oidc', 'saml']).optional(),
  })
  .strict();

const secretsPatch = z
  .object(
    Object.fromEntries(ORG_SECRET_PATHS.map((p) => [p, z.string().max(20_000).nullable().optional()])) as Record<
      OrgSecretPath,
      z.ZodOptional<z.ZodNullable<z.ZodString>>
    >,
  )
  .strict();

function flatten(prefix: string, obj: Record<string, unknown>, out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'channelTypes')
      flatten(`${prefix}${k}.`, v as Record<string, unknown>, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

async function apply(
  slug: string,
  update: Record<string, unknown>,
  action: string,
  actor: Actor,
  details: Record<string, unknown>,
) {
  const res = await platformModels().Organization.updateOne(
    { slug: { $eq: slug } },
    { ...update, $inc: { configVersion: 1 } },
    { runValidators: true },
  );
  if (res.matchedCount === 0) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  await publishOrgConfigUpdated(slug, action);
  await writeAudit(
    { scope: 'platform', orgSlug: slug },
    {
      action,
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      target: { type: 'Organization', id: slug },
      details,
    },
  );
}

export async function updateOrgSettings(
  rawSlug: string,
  rawPatch: z.input<typeof settingsPatch>,
  rawActor: Actor,
): Promise<void> {
  const slug = parseInput(slugInput, rawSlug);
  const actor = parseInput(actorInput, rawActor);
  const { authMethod, channelTypes, ...rest } = parseInput(settingsPatch, rawPatch);
  const $set = flatten('', rest);
  if (authMethod) $set['auth.method'] = authMethod;
  if (channelTypes) $set.channelTypes = channelTypes;
  if (Object.keys($set).length === 0) return;
  await apply(slug, { $set }, 'org.settings.updated', actor, { changed: $set });
}

/** Write-only: a string sets (encrypted), null clears, absent keeps. Audit records which, never values. */
export async function setOrgSecrets(rawSlug: string, rawSecrets: z.input<typeof secretsPatch>, rawActor: Actor): Promise<void> {
  const slug = parseInput(slugInput, rawSlug);
  const actor = parseInput(actorInput, rawActor);
  const { $set, $unset } = secretUpdate(slug, parseInput(secretsPatch, rawSecrets));
  const update: Record<string, unknown> = {};
  if (Object.keys($set).length) update.$set = $set;
  if (Object.keys($unset).length) update.$unset = $unset;
  if (!update.$set && !update.$unset) return;
  await apply(slug, update, 'org.secrets.updated', actor, { set: Object.keys($set), cleared: Object.keys($unset) });
}

/** For forms: which secrets are set, never their values. */
export async function orgSecretStatus(rawSlug: string): Promise<Record<string, boolean>> {
  const slug = parseInput(slugInput, rawSlug);
  const org = await platformModels()
    .Organization.findOne({ slug: { $eq: slug } })
    .lean();
  if (!org) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  return secretStatus(org);
}
