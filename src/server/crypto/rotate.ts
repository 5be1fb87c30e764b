import { platformModels } from '../db/models/platform';
import { publishOrgConfigUpdated } from '../tenancy/config-events';
import { tenantModels } from '../tenancy/connections';
import { getPath, INBOX_SECRET_PATHS, inboxSecretContext, ORG_SECRET_PATHS } from './secret-fields';
import { activeKeyId, reencryptSecret, secretKeyId } from './secrets';

/**
 * Re-encrypt every organisation secret, every provider inbox secret (tenant databases) and the
 * super-admin MFA seeds under the active master key.
 * Procedure: add the new key to ENCRYPTION_KEYS, make it ENCRYPTION_ACTIVE_KEY_ID, deploy, run this,
 * then remove the old key. Each field is swapped with a compare-and-set on its old ciphertext, so a
 * concurrent edit is never overwritten; re-running is safe.
 */
export interface RotationReport {
  activeKeyId: string;
  organizations: number;
  rotated: number;
  alreadyCurrent: number;
  skippedConcurrentEdit: number;
  failed: Array<{ scope: string; field: string; error: string }>;
}

export async function rotateAllSecrets(opts: { log?: (line: string) => void } = {}): Promise<RotationReport> {
  const log = opts.log ?? (() => undefined);
  const { Organization, SuperAdmin } = platformModels();
  const report: RotationReport = {
    activeKeyId: activeKeyId(),
    organizations: 0,
    rotated: 0,
    alreadyCurrent: 0,
    skippedConcurrentEdit: 0,
    failed: [],
  };

  const swap = async (
    model: { updateOne(filter: object, update: object): Promise<{ modifiedCount: number }> },
    id: unknown,
    scope: string,
    path: string,
    field: string,
    stored: string,
  ) => {
    try {
      const next = reencryptSecret(stored, { scope, field });
      if (!next) return void report.alreadyCurrent++;
      const res = await model.updateOne({ _id: id, [path]: stored }, { $set: { [path]: next } });
      if (res.modifiedCount === 1) report.rotated++;
      else report.skippedConcurrentEdit++;
    } catch (err) {
      report.failed.push({ scope, field, error: (err as Error).message });
    }
  };

  for await (const org of Organization.find().lean().cursor()) {
    report.organizations++;
    const before = report.rotated;
    for (const path of ORG_SECRET_PATHS) {
      const stored = getPath(org, path);
      if (typeof stored === 'string' && stored) await swap(Organization, org._id, org.slug, path, path, stored);
    }
    // Provider inboxes keep their credentials in the tenant database, bound to inbox.<publicId>.<path>.
    const { Inbox } = tenantModels(org.slug);
    for await (const inbox of Inbox.find().lean().cursor()) {
      for (const path of INBOX_SECRET_PATHS) {
        const stored = getPath(inbox, path);
        const { field } = inboxSecretContext(org.slug, inbox.publicId, path);
        if (typeof stored === 'string' && stored) await swap(Inbox, inbox._id, org.slug, path, field, stored);
      }
    }
    if (report.rotated > before) {
      await Organization.updateOne({ _id: org._id }, { $inc: { configVersion: 1 } });
      await publishOrgConfigUpdated(org.slug, 'secrets.rotated');
      log(`${org.slug}: ${report.rotated - before} secret(s) re-encrypted`);
    }
  }
  for await (const sa of SuperAdmin.find({ mfaSecret: { $type: 'string' } })
    .lean()
    .cursor()) {
    await swap(SuperAdmin, sa._id, 'platform', 'mfaSecret', `superAdmin.${String(sa._id)}.mfaSecret`, sa.mfaSecret!);
  }
  return report;
}

/** Counts of ciphertexts per key id: what the CLI prints before and after. */
export async function secretKeyUsage(): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for await (const org of platformModels().Organization.find().lean().cursor()) {
    for (const path of ORG_SECRET_PATHS) {
      const kid = secretKeyId(String(getPath(org, path) ?? ''));
      if (kid) usage[kid] = (usage[kid] ?? 0) + 1;
    }
    for await (const inbox of tenantModels(org.slug).Inbox.find().lean().cursor()) {
      for (const path of INBOX_SECRET_PATHS) {
        const kid = secretKeyId(String(getPath(inbox, path) ?? ''));
        if (kid) usage[kid] = (usage[kid] ?? 0) + 1;
      }
    }
  }
  return usage;
}
