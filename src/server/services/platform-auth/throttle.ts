import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';
import { consume } from '../rate-limit';
import { delayAfter, signInPolicy } from './policy';

/**
 * Slowing and lockout per account (per address: the shared rate limiter). Checked before any password or code is looked at, so a locked account costs
 * an attacker nothing to try and us nothing to refuse.
 */
const slowKey = (adminId: string) => rkey('platform-auth', 'slow', adminId);

function tooMany(message: string, retryAfterMs: number): AppError {
  return new AppError('TOO_MANY_REQUESTS', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

/** Per client address: the shared rate limiter (every attempt counts, not only failures). */
export async function assertIpAllowed(ip: string | undefined): Promise<void> {
  if (ip) await consume('ip', `platform:${ip}`);
}

export async function assertAccountAllowed(admin: { _id: unknown; lockedUntil?: Date | null }): Promise<void> {
  const now = Date.now();
  if (admin.lockedUntil && admin.lockedUntil.getTime() > now) {
    throw tooMany('This account is locked after repeated failed sign-ins. Try again later.', admin.lockedUntil.getTime() - now);
  }
  const wait = await redis().pttl(slowKey(String(admin._id)));
  if (wait > 0) throw tooMany('Too many failed attempts. Wait a moment before trying again.', wait);
}

/** Records one failure; returns true when this failure locked the account. */
export async function recordFailure(adminId: string): Promise<boolean> {
  const { SuperAdmin } = platformModels();
  const doc = await SuperAdmin.findOneAndUpdate(
    { _id: adminId },
    { $inc: { failedLogins: 1 } },
    { returnDocument: 'after', projection: { failedLogins: 1 } },
  ).lean();
  const failures = doc?.failedLogins ?? 0;
  if (failures >= signInPolicy.lockAfter) {
    await SuperAdmin.updateOne(
      { _id: adminId },
      { $set: { lockedUntil: new Date(Date.now() + signInPolicy.lockMs), failedLogins: 0 } },
    );
    await redis().del(slowKey(adminId));
    return true;
  }
  const delay = delayAfter(failures);
  if (delay > 0) await redis().set(slowKey(adminId), '1', 'PX', delay);
  return false;
}

export async function recordSuccess(adminId: string): Promise<void> {
  await platformModels().SuperAdmin.updateOne(
    { _id: adminId },
    { $set: { failedLogins: 0, lastLoginAt: new Date() }, $unset: { lockedUntil: '' } },
  );
  await redis().del(slowKey(adminId));
}
