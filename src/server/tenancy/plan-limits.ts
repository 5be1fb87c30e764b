import { platformModels } from '../db/models/platform';
import { AppError } from '../errors';
import { tenantModels } from './connections';

/**
 * Plan limits (decision 9). Users are counted in the tenant database (deactivated users do not
 * count). Storage is a running counter in `org.usage.storageBytes`, moved by one conditional atomic
 * update per upload or delete, so concurrent uploads can never overshoot the quota together; a
 * periodic job reconciles it with the files collection.
 */
const MB = 1024 * 1024;
const COUNTED_STATUSES: Array<'invited' | 'active' | 'suspended'> = ['invited', 'active', 'suspended'];

async function plan(slug: string) {
  const org = await platformModels()
    .Organization.findOne({ slug: { $eq: slug } })
    .select({ plan: 1, usage: 1 })
    .lean();
  if (!org) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  return { maxUsers: org.plan.maxUsers, maxStorageMB: org.plan.maxStorageMB, storageBytes: org.usage?.storageBytes ?? 0 };
}

export async function assertCanAddUser(slug: string, adding = 1): Promise<void> {
  const { maxUsers } = await plan(slug);
  const users = await tenantModels(slug).User.countDocuments({ status: { $in: COUNTED_STATUSES } });
  if (users + adding > maxUsers) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Plan limit reached: maxUsers is ${maxUsers} and this organisation already has ${users} users`,
      {
        limit: 'maxUsers',
        max: maxUsers,
        current: users,
      },
    );
  }
}

function storageError(maxStorageMB: number, used: number, bytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `Plan limit reached: maxStorageMB is ${maxStorageMB} MB; ${(used / MB).toFixed(1)} MB used, this upload needs ${(bytes / MB).toFixed(1)} MB`,
    { limit: 'maxStorageMB', max: maxStorageMB, usedBytes: used, requestedBytes: bytes },
  );
}

/** Check only (e.g. before streaming an upload); reserveStorage is the authoritative step. */
export async function assertStorageAvailable(slug: string, bytes: number): Promise<void> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new AppError('BAD_REQUEST', 'bytes must be a non-negative integer');
  const p = await plan(slug);
  if (p.storageBytes + bytes > p.maxStorageMB * MB) throw storageError(p.maxStorageMB, p.storageBytes, bytes);
}

/** Atomically add `bytes` to the counter if it stays within the plan; throws naming the limit otherwise. */
export async function reserveStorage(slug: string, bytes: number): Promise<void> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new AppError('BAD_REQUEST', 'bytes must be a non-negative integer');
  const p = await plan(slug);
  const res = await platformModels().Organization.updateOne(
    // Matching the plan too: a plan change between read and write makes this miss, never overshoot.
    { slug: { $eq: slug }, 'plan.maxStorageMB': p.maxStorageMB, 'usage.storageBytes': { $lte: p.maxStorageMB * MB - bytes } },
    { $inc: { 'usage.storageBytes': bytes } },
  );
  if (res.modifiedCount === 1) return;
  const now = await plan(slug);
  if (now.maxStorageMB !== p.maxStorageMB) return reserveStorage(slug, bytes);
  throw storageError(now.maxStorageMB, now.storageBytes, bytes);
}

export async function releaseStorage(slug: string, bytes: number): Promise<void> {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new AppError('BAD_REQUEST', 'bytes must be a non-negative integer');
  await platformModels().Organization.updateOne({ slug: { $eq: slug } }, { $inc: { 'usage.storageBytes': -bytes } });
}

/** Periodic job: set the counter to the real sum of stored files (drift from crashes mid-upload). */
export async function reconcileStorage(slug: string): Promise<number> {
  const [row] = await tenantModels(slug).File.aggregate<{ total: number }>([
    { $group: { _id: null, total: { $sum: '$fileSize' } } },
  ]);
  const total = row?.total ?? 0;
  const users = await tenantModels(slug).User.countDocuments({ status: { $in: COUNTED_STATUSES } });
  await platformModels().Organization.updateOne(
    { slug: { $eq: slug } },
    { $set: { 'usage.storageBytes': total, 'usage.users': users, 'usage.reconciledAt': new Date() } },
  );
  return total;
}
