import { z } from 'zod';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { auditOrgChange, type OrgActor } from '../audit';
import { isDuplicateKey, objectIdInput, oid, plain } from '../shared/ids';

/** Branches: physical locations; Branch Managers see their branch's conversations and reports. */
export const branchInput = z.strictObject({
  name: z.string().trim().min(1, 'Give the branch a name.').max(80),
  code: z.string().trim().min(1, 'Give the branch a short code.').max(20).regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only.'),
  address: z.string().trim().max(300).optional(),
  timezone: z.string().trim().max(60).optional(),
  managerIds: z.array(objectIdInput).max(50).optional(),
});
export const branchPatch = branchInput.partial().extend({ id: objectIdInput });

export async function listBranches(slug: string) {
  const { Branch, User } = tenantModels(slug);
  const [branches, counts] = await Promise.all([
    Branch.find().sort({ name: 1 }).limit(500).lean(),
    User.aggregate<{ _id: unknown; n: number }>([{ $match: { branchId: { $exists: true } } }, { $group: { _id: '$branchId', n: { $sum: 1 } } }]),
  ]);
  const byId = new Map(counts.map((c) => [String(c._id), c.n]));
  return branches.map((b) => ({ ...plain(b), id: String(b._id), memberCount: byId.get(String(b._id)) ?? 0 }));
}

function conflict(err: unknown): never {
  if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'Another branch already uses this code.');
  throw err;
}

export async function createBranch(slug: string, input: z.infer<typeof branchInput>, actor: OrgActor) {
  const branch = await tenantModels(slug)
    .Branch.create({ ...input, managerIds: input.managerIds?.map(oid) })
    .catch(conflict);
  await auditOrgChange(slug, actor, 'branch.created', { type: 'Branch', id: String(branch._id) }, { after: plain(branch.toObject()) });
  return { id: String(branch._id) };
}

export async function updateBranch(slug: string, { id, ...patch }: z.infer<typeof branchPatch>, actor: OrgActor) {
  const { Branch } = tenantModels(slug);
  const before = await Branch.findById(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Branch not found');
  const $set = { ...patch, ...(patch.managerIds ? { managerIds: patch.managerIds.map(oid) } : {}) };
  const after = await Branch.findByIdAndUpdate(id, { $set }, { returnDocument: 'after', runValidators: true }).lean().catch(conflict);
  await auditOrgChange(slug, actor, 'branch.updated', { type: 'Branch', id }, { before: plain(before), after: plain(after) });
}

/** Deleting a branch unassigns its users (they keep working, without a branch scope). */
export async function deleteBranch(slug: string, id: string, actor: OrgActor) {
  const { Branch, User } = tenantModels(slug);
  const before = await Branch.findByIdAndDelete(id).lean();
  if (!before) throw new AppError('NOT_FOUND', 'Branch not found');
  await User.updateMany({ branchId: oid(id) }, { $unset: { branchId: 1 } });
  await auditOrgChange(slug, actor, 'branch.deleted', { type: 'Branch', id }, { before: plain(before) });
}
