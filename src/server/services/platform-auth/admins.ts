import { z } from 'zod';
import { hashPassword } from '../../crypto/passwords';
import { connectMongo } from '../../db/mongo';
import { ensurePlatformIndexes, platformModels } from '../../db/models/platform';
import { AppError } from '../../errors';
import { parseInput } from '../../tenancy/org-input';
import { auditAuth } from './audit';

/**
 * Creating super admins (the CLI, the demo seed, tests). The new admin has no second factor: the
 * first sign-in walks through enrolment. With `resetMfa` an existing admin is reset the same way
 * (the operator's way back in when both the phone and the recovery codes are lost).
 */
const createInput = z
  .object({
    email: z.string().trim().toLowerCase().email().max(320),
    password: z.string().min(12, 'password must be at least 12 characters').max(1000),
    displayName: z.string().trim().min(1).max(120).optional(),
    resetMfa: z.boolean().default(false),
  })
  .strict();

export async function upsertSuperAdmin(raw: z.input<typeof createInput>): Promise<{ id: string; created: boolean }> {
  const input = parseInput(createInput, raw);
  await connectMongo();
  await ensurePlatformIndexes();
  const { SuperAdmin } = platformModels();
  const existing = await SuperAdmin.findOne({ email: { $eq: input.email } })
    .select({ _id: 1 })
    .lean();
  if (existing && !input.resetMfa) throw new AppError('CONFLICT', `${input.email} already exists (pass --reset-mfa to reset it)`);
  const passwordHash = await hashPassword(input.password);
  const doc = await SuperAdmin.findOneAndUpdate(
    { email: input.email },
    {
      $set: { passwordHash, failedLogins: 0, sessionsValidAfter: new Date(), mfaEnabled: false },
      $unset: { mfaSecret: '', recoveryCodes: '', lockedUntil: '' },
      $setOnInsert: { displayName: input.displayName ?? input.email.split('@')[0], role: 'super_admin' },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const id = String(doc!._id);
  await auditAuth(existing ? 'superadmin.reset' : 'superadmin.created', { id, email: input.email }, {}, { by: 'cli' });
  return { id, created: !existing };
}
