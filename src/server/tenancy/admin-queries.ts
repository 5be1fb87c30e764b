import { z } from 'zod';
import { platformModels } from '../db/models/platform';
import { ORG_STATUSES } from '../db/models/platform/org-constants';
import { secretStatus } from '../crypto/secret-fields';
import { AppError } from '../errors';
import { tenantModels } from './connections';
import { listCustomDomains, type DomainInfo } from './domains';
import { parseInput, slugInput } from './org-input';

/**
 * Read side of the super-admin panel: organisations with their usage, one organisation's full
 * (secret-free) configuration, and the platform audit log. Framework-free; the tRPC router wraps it.
 */
const listInput = z
  .object({
    q: z.string().trim().max(100).optional(),
    status: z.enum(ORG_STATUSES).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listOrganizations(raw: z.input<typeof listInput> = {}) {
  const input = parseInput(listInput, raw);
  const filter: Record<string, unknown> = {};
  if (input.status) filter.status = { $eq: input.status };
  if (input.q) {
    const re = new RegExp(escapeRegex(input.q), 'i'); // user text is escaped: a literal search, never a pattern
    filter.$or = [{ slug: re }, { name: re }, { domains: re }];
  }
  const { Organization } = platformModels();
  const [rows, total] = await Promise.all([
    Organization.find(filter)
      .select({
        slug: 1,
        name: 1,
        status: 1,
        plan: 1,
        usage: 1,
        domains: 1,
        createdAt: 1,
        'branding.appName': 1,
        'branding.logo': 1,
      })
      .sort({ createdAt: -1 })
      .skip(input.offset)
      .limit(input.limit)
      .lean(),
    Organization.countDocuments(filter),
  ]);
  return { total, organizations: rows.map(({ _id, ...row }) => ({ id: String(_id), ...row })) };
}

/** Everything the panel edits, with secrets replaced by "set / not set". */
export async function getOrganizationForAdmin(rawSlug: string) {
  const slug = parseInput(slugInput, rawSlug);
  const doc = await platformModels().Organization.findOne({ slug: { $eq: slug } });
  if (!doc) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  const domains: DomainInfo[] = await listCustomDomains(slug);
  return {
    ...(doc.toJSON() as Record<string, unknown>),
    secrets: secretStatus(doc.toObject({ transform: false })),
    customDomains: domains,
  };
}

/** Recount users, storage and conversations from the tenant database (periodic job and panel refresh). */
export async function reconcileUsage(rawSlug: string) {
  const slug = parseInput(slugInput, rawSlug);
  const m = tenantModels(slug);
  const [users, conversations, [storage]] = await Promise.all([
    m.User.countDocuments({ status: { $in: ['invited', 'active', 'suspended'] } }),
    m.Conversation.countDocuments({}),
    m.File.aggregate<{ total: number }>([{ $group: { _id: null, total: { $sum: '$fileSize' } } }]),
  ]);
  const usage = { users, conversations, storageBytes: storage?.total ?? 0, reconciledAt: new Date() };
  await platformModels().Organization.updateOne({ slug: { $eq: slug } }, { $set: { usage } });
  return usage;
}

const auditInput = z
  .object({
    orgSlug: slugInput.optional(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9._-]{0,80}$/)
      .optional(),
    beforeSeq: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

export async function listPlatformAudit(raw: z.input<typeof auditInput> = {}) {
  const input = parseInput(auditInput, raw);
  const filter: Record<string, unknown> = {};
  if (input.orgSlug) filter.orgSlug = { $eq: input.orgSlug };
  if (input.action) filter.action = { $eq: input.action };
  if (input.beforeSeq) filter.seq = { $lt: input.beforeSeq };
  return platformModels().PlatformAuditLog.find(filter).sort({ seq: -1 }).limit(input.limit).lean();
}
