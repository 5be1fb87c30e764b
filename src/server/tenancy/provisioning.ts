import { randomBytes } from 'node:crypto';
import { encryptSecret } from '../crypto/secrets';
import { DEFAULT_BRAND_COLORS, PLAN_DEFAULTS } from '../db/models/platform/org-constants';
import { ensurePlatformIndexes, platformModels } from '../db/models/platform';
import { ensureTenantIndexes } from '../db/models/tenant';
import { AppError } from '../errors';
import { writeAudit } from '../services/audit';
import { createAutoChannels, joinAutoChannels } from './auto-channels';
import { publishOrgConfigUpdated } from './config-events';
import { dropTenantConnection, tenantConnection, tenantModels } from './connections';
import { DEFAULT_ROLES } from './default-roles';
import { DEFAULT_CHANNEL_TYPES, parseInput, provisionInput, type ProvisionInput } from './org-input';
import { tenantDbName } from './slug';

/**
 * Creates an organisation end to end: platform record (status provisioning -> active), tenant
 * database with every collection and index, default roles, auto-created channels, the first admin
 * (status invited: the identity issue emails the invitation), usage counters and audit entries.
 * A failure removes what was created, so the slug can be tried again.
 */
export interface ProvisionResult {
  slug: string;
  dbName: string;
  firstAdmin: { id: string; email: string };
}

let platformReady: Promise<void> | undefined;

export async function provisionOrganization(raw: ProvisionInput): Promise<ProvisionResult> {
  const input = parseInput(provisionInput, raw);
  platformReady ??= ensurePlatformIndexes().catch((err) => {
    platformReady = undefined;
    throw err;
  });
  await platformReady;
  const { Organization } = platformModels();
  const { slug } = input;
  const dbName = tenantDbName(slug);
  if (await Organization.exists({ slug: { $eq: slug } })) {
    throw new AppError('CONFLICT', `An organisation with slug "${slug}" already exists`);
  }
  const enc = (field: string, value: string | undefined) => (value ? encryptSecret(value, { scope: slug, field }) : undefined);
  const plan = { ...PLAN_DEFAULTS[input.plan.tier], ...input.plan };
  const channelTypes = input.channelTypes ?? DEFAULT_CHANNEL_TYPES;
  const { oidc, saml, ...auth } = input.auth;
  try {
    await Organization.create({
      slug,
      name: input.name,
      status: 'provisioning',
      dbName,
      auth: {
        ...auth,
        jwtSecret: enc('auth.jwtSecret', randomBytes(32).toString('base64url')),
        oidc: oidc && { ...oidc, clientSecret: enc('auth.oidc.clientSecret', oidc.clientSecret) },
        saml: saml && { ...saml, privateKey: enc('auth.saml.privateKey', saml.privateKey) },
      },
      branding: {
        appName: input.branding?.appName ?? input.name,
        logo: input.branding?.logo,
        favicon: input.branding?.favicon,
        colors: { ...DEFAULT_BRAND_COLORS, ...input.branding?.colors },
      },
      roles: (input.roles ?? DEFAULT_ROLES).map((r) => ({ ...r, system: !input.roles })),
      channelTypes,
      features: input.features ?? {},
      plan,
      createdBy: input.actor.email ?? input.actor.id ?? input.actor.type,
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw new AppError('CONFLICT', `An organisation with slug "${slug}" already exists`);
    throw err;
  }

  try {
    const models = tenantModels(slug);
    await ensureTenantIndexes(models);
    const admin = await models.User.create({
      displayName: input.firstAdmin.displayName ?? input.firstAdmin.email.split('@')[0],
      email: input.firstAdmin.email,
      role: 'Admin',
      status: 'invited',
      isProtected: true,
      invitedAt: new Date(),
    });
    await createAutoChannels(slug, channelTypes, admin._id);
    await joinAutoChannels(slug, admin._id);
    await models.Setting.updateOne({ _id: 'storage.reconciledAt' }, { $set: { value: new Date() } }, { upsert: true });
    await Organization.updateOne(
      { slug: { $eq: slug } },
      { $set: { status: 'active', 'usage.users': 1, 'usage.storageBytes': 0, 'usage.reconciledAt': new Date() } },
    );
    const details = { name: input.name, plan, authMethod: input.auth.method, firstAdmin: input.firstAdmin.email };
    const actor = {
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorEmail: input.actor.email,
      ipAddress: input.actor.ip,
    };
    await writeAudit(
      { scope: 'platform', orgSlug: slug },
      { action: 'org.provisioned', ...actor, target: { type: 'Organization', id: slug }, details },
    );
    await writeAudit(
      { scope: 'org', slug },
      { action: 'org.provisioned', ...actor, target: { type: 'Organization', id: slug }, details },
    );
    await publishOrgConfigUpdated(slug, 'provisioned');
    return { slug, dbName, firstAdmin: { id: String(admin._id), email: admin.email } };
  } catch (err) {
    await Organization.deleteOne({ slug: { $eq: slug }, status: 'provisioning' }).catch(() => undefined);
    await tenantConnection(slug)
      .dropDatabase()
      .catch(() => undefined);
    dropTenantConnection(slug);
    throw err;
  }
}
