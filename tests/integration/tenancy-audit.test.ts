import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, writeAudit } from '@/server/services/audit';
import { tenantModels } from '@/server/tenancy/connections';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

const slug = randomSlug('aud');

beforeAll(async () => {
  await startTenancy();
  await provisionOrganization({ slug, name: 'Audit', firstAdmin: { email: 'a@aud.io' } });
});
afterAll(stopTenancy);

describe('audit writer', () => {
  it('concurrent writers produce one gap-free chain whose hashes verify', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        writeAudit(
          { scope: 'org', slug },
          {
            action: 'test.concurrent',
            actorType: 'user',
            actorId: `u${i}`,
            details: { i, password: 'hunter2', nested: { apiKey: 'k' } },
          },
        ),
      ),
    );
    const entries = await tenantModels(slug).AuditLog.find().sort({ seq: 1 }).lean();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    let prev = '0'.repeat(64);
    for (const { _id, hash, ...entry } of entries) {
      void _id;
      expect(entry.prevHash).toBe(prev);
      expect(entryHash(prev, entry)).toBe(hash);
      prev = hash!;
    }
    // Secrets in details are redacted before they are stored.
    const sample = entries.find((e) => e.action === 'test.concurrent')!;
    expect(sample.details).toMatchObject({ password: '[redacted]', nested: { apiKey: '[redacted]' } });
  });

  it('no code path can update or delete an entry', async () => {
    const { AuditLog } = tenantModels(slug);
    await expect(AuditLog.updateMany({}, { $set: { action: 'tampered' } })).rejects.toThrow(/append-only/);
    await expect(AuditLog.findOneAndDelete({})).rejects.toThrow(/append-only/);
    const doc = await AuditLog.findOne();
    doc!.set('action', 'tampered');
    await expect(doc!.save()).rejects.toThrow(/append-only/);
  });
});
