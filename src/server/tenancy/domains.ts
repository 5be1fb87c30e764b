import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { platformModels } from '../db/models/platform';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { writeAudit } from '../services/audit';
import { publishOrgConfigUpdated } from './config-events';
import { classifyHost } from './host';
import { loadOrg, slugForDomain } from './org-cache';
import { actorInput, parseInput, slugInput, type Actor } from './org-input';

/**
 * Custom domains: an admin adds one, publishes the TXT record we hand out, and we verify it with a
 * real DNS lookup (resolver configurable through DNS_RESOLVER). Only verified domains resolve to the
 * organisation or get a certificate (mayIssueCertificate, Caddy's on-demand TLS `ask`).
 */
export const TXT_PREFIX = '_customer-ops-verify';
const txtValue = (token: string) => `customer-ops-verify=${token}`;

export interface DomainInfo {
  domain: string;
  verified: boolean;
  verifiedAt: Date | null;
  txtRecord: { name: string; value: string };
  lastCheckError: string | null;
}

function normaliseDomain(raw: unknown): string {
  const env = getEnv();
  const cls =
    typeof raw === 'string' ? classifyHost(raw, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST }) : null;
  if (cls?.kind !== 'custom')
    throw new AppError(
      'BAD_REQUEST',
      'Not a valid custom domain (subdomains of the platform domain and IP addresses are not allowed)',
    );
  return cls.domain;
}

function info(m: {
  domain: string;
  verified?: boolean | null;
  verifiedAt?: Date | null;
  dnsVerificationToken: string;
  lastCheckError?: string | null;
}): DomainInfo {
  return {
    domain: m.domain,
    verified: !!m.verified,
    verifiedAt: m.verifiedAt ?? null,
    txtRecord: { name: `${TXT_PREFIX}.${m.domain}`, value: txtValue(m.dnsVerificationToken) },
    lastCheckError: m.lastCheckError ?? null,
  };
}

const audit = (slug: string, action: string, actor: Actor, domain: string) =>
  writeAudit(
    { scope: 'platform', orgSlug: slug },
    {
      action,
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      ipAddress: actor.ip,
      target: { type: 'Domain', id: domain },
    },
  );

export async function addCustomDomain(rawSlug: string, rawDomain: string, rawActor: Actor): Promise<DomainInfo> {
  const slug = parseInput(slugInput, rawSlug);
  const actor = parseInput(actorInput, rawActor);
  const domain = normaliseDomain(rawDomain);
  if (!(await loadOrg(slug))) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  const { DomainMapping } = platformModels();
  const existing = await DomainMapping.findOne({ domain: { $eq: domain } }).lean();
  if (existing && existing.orgSlug !== slug) throw new AppError('CONFLICT', `${domain} is already used by another organisation`);
  if (existing) return info(existing);
  const created = await DomainMapping.create({ domain, orgSlug: slug, dnsVerificationToken: randomBytes(16).toString('hex') });
  await audit(slug, 'org.domain.added', actor, domain);
  return info(created);
}

function resolver(): Resolver {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  const server = getEnv().DNS_RESOLVER.trim();
  if (server) r.setServers([server]);
  return r;
}

export async function verifyCustomDomain(rawDomain: string, rawActor: Actor): Promise<DomainInfo> {
  const actor = parseInput(actorInput, rawActor);
  const domain = normaliseDomain(rawDomain);
  const { DomainMapping, Organization } = platformModels();
  const mapping = await DomainMapping.findOne({ domain: { $eq: domain } }).lean();
  if (!mapping) throw new AppError('NOT_FOUND', `${domain} has not been added`);
  let records: string[] = [];
  let error: string | null = null;
  try {
    records = (await resolver().resolveTxt(`${TXT_PREFIX}.${domain}`)).map((chunks) => chunks.join(''));
  } catch (err) {
    error = `DNS lookup failed: ${(err as { code?: string }).code ?? String(err)}`;
  }
  const ok = records.includes(txtValue(mapping.dnsVerificationToken));
  if (!ok) error ??= `TXT record ${TXT_PREFIX}.${domain} does not contain ${txtValue(mapping.dnsVerificationToken)}`;
  await DomainMapping.updateOne(
    { _id: mapping._id },
    {
      $set: {
        lastCheckAt: new Date(),
        lastCheckError: error,
        ...(ok ? { verified: true, verifiedAt: mapping.verifiedAt ?? new Date() } : {}),
      },
    },
  );
  if (!ok) throw new AppError('PRECONDITION_FAILED', error!, { txtRecord: info(mapping).txtRecord });
  await Organization.updateOne(
    { slug: { $eq: mapping.orgSlug } },
    { $addToSet: { domains: domain }, $inc: { configVersion: 1 } },
  );
  await publishOrgConfigUpdated(mapping.orgSlug, 'domain.verified');
  if (!mapping.verified) await audit(mapping.orgSlug, 'org.domain.verified', actor, domain);
  return info({ ...mapping, verified: true, verifiedAt: mapping.verifiedAt ?? new Date(), lastCheckError: null });
}

export async function removeCustomDomain(rawSlug: string, rawDomain: string, rawActor: Actor): Promise<void> {
  const slug = parseInput(slugInput, rawSlug);
  const actor = parseInput(actorInput, rawActor);
  const domain = normaliseDomain(rawDomain);
  const res = await platformModels().DomainMapping.deleteOne({ domain: { $eq: domain }, orgSlug: { $eq: slug } });
  if (res.deletedCount === 0) throw new AppError('NOT_FOUND', `${domain} is not a domain of ${slug}`);
  await platformModels().Organization.updateOne(
    { slug: { $eq: slug } },
    { $pull: { domains: domain }, $inc: { configVersion: 1 } },
  );
  await publishOrgConfigUpdated(slug, 'domain.removed');
  await audit(slug, 'org.domain.removed', actor, domain);
}

export async function listCustomDomains(rawSlug: string): Promise<DomainInfo[]> {
  const slug = parseInput(slugInput, rawSlug);
  const rows = await platformModels()
    .DomainMapping.find({ orgSlug: { $eq: slug } })
    .sort({ domain: 1 })
    .lean();
  return rows.map(info);
}

/** Caddy's on-demand TLS `ask`: only the platform host, existing workspaces and verified custom domains. */
export async function mayIssueCertificate(host: string): Promise<boolean> {
  const env = getEnv();
  const cls = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST });
  if (cls.kind === 'platform') return true;
  if (cls.kind === 'invalid') return false;
  const slug = cls.kind === 'subdomain' ? cls.slug : await slugForDomain(cls.domain);
  if (!slug) return false;
  const org = await loadOrg(slug);
  return !!org && org.status !== 'provisioning';
}
