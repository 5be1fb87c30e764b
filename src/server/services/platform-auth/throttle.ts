import { platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { redis, rkey } from '../../redis';
import { delayAfter, signInPolicy } from './policy';

/**
 * Slowing and lockout. Checked before any password or code is looked at, so a locked account costs
 * an attacker nothing to try and us nothing to refuse.
 */
const slowKey = (adminId: string) => rkey('platform-auth', 'slow', adminId);
const ipKey = (ip: string) => rkey('platform-auth', 'ip', ip);

function tooMany(message: string, retryAfterMs: number): AppError {
  return new AppError('TOO_MANY_REQUESTS', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

export async function assertIpAllowed(ip: string | undefined): Promise<void> {
  if (!ip) return;
  const r = redis();
  const failures = Number(await r.get(ipKey(ip))) || 0;
  if (failures >= signInPolicy.ipMaxFailures) {
    throw tooMany('Too many failed sign-ins from this address. Try again later.', Math.max(await r.pttl(ipKey(ip)), 1000));
  }
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
export async function recordFailure(adminId: string | null, ip: string | undefined): Promise<boolean> {
  if (ip) {
    const r = redis();
    const n = await r.incr(ipKey(ip));
    if (n === 1) await r.pexpire(ipKey(ip), signInPolicy.ipWindowMs);
  }
  if (!adminId) return false;
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
