import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../crypto/passwords';
import { platformModels } from '../../db/models/platform';
import { signInPolicy } from './policy';

/**
 * One-time recovery codes: 10 random codes shown once, stored as argon2id hashes. Using one removes
 * its hash with a conditional $pull, so two concurrent uses of the same code cannot both succeed.
 */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: codes get typed from paper

function code(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normaliseRecoveryCode(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/^(.{5})/, '$1-');
}

export async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: signInPolicy.recoveryCodeCount }, code);
  return { codes, hashes: await Promise.all(codes.map(hashPassword)) };
}

/** True (and the code is gone) when `raw` matches one of the admin's unused codes. */
export async function consumeRecoveryCode(adminId: string, hashes: readonly string[], raw: string): Promise<boolean> {
  const candidate = normaliseRecoveryCode(raw);
  if (!/^[a-z0-9]{5}-[a-z0-9]{5}$/.test(candidate)) return false;
  for (const hash of hashes) {
    if (!(await verifyPassword(hash, candidate))) continue;
    const res = await platformModels().SuperAdmin.updateOne(
      { _id: adminId, recoveryCodes: hash },
      { $pull: { recoveryCodes: hash } },
    );
    return res.modifiedCount === 1;
  }
  return false;
}
