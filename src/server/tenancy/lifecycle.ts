import { platformModels } from '../db/models/platform';
import { AppError } from '../errors';
import { writeAudit } from '../services/audit';
import { publishOrgConfigUpdated } from './config-events';
import { actorInput, parseInput, slugInput, type Actor } from './org-input';
import { z } from 'zod';

/**
 * Suspend and reactivate. Both are published on `org:config:updated`, so every process drops the
 * organisation from its caches within a second: pages show the suspended notice, API calls and
 * sockets are refused (the shells check `status` on the resolved OrgContext).
 */
const reasonInput = z.string().trim().max(500).optional();

async function setStatus(
  rawSlug: string,
  status: 'active' | 'suspended',
  from: 'active' | 'suspended',
  rawActor: Actor,
  reason?: string,
) {
  const slug = parseInput(slugInput, rawSlug);
  const actor = parseInput(actorInput, rawActor);
  const res = await platformModels().Organization.updateOne(
    { slug: { $eq: slug }, status: { $eq: from } },
    { $set: { status, statusReason: reason ?? null }, $inc: { configVersion: 1 } },
  );
  if (res.matchedCount === 0) {
    const org = await platformModels()
      .Organization.findOne({ slug: { $eq: slug } })
      .select({ status: 1 })
      .lean();
    if (!org) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
    if (org.status === status) return; // idempotent
    throw new AppError('CONFLICT', `Organisation "${slug}" is ${org.status}`);
  }
  await publishOrgConfigUpdated(slug, status === 'suspended' ? 'suspended' : 'reactivated');
  await writeAudit(
    { scope: 'platform', orgSlug: slug },
    {
      action: status === 'suspended' ? 'org.suspended' : 'org.reactivated',
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      target: { type: 'Organization', id: slug },
      details: { reason },
    },
  );
}

export function suspendOrganization(slug: string, actor: Actor, reason?: string): Promise<void> {
  return setStatus(slug, 'suspended', 'active', actor, parseInput(reasonInput, reason));
}

export function reactivateOrganization(slug: string, actor: Actor): Promise<void> {
  return setStatus(slug, 'active', 'suspended', actor);
}
