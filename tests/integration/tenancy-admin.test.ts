import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '@/server/services/audit';
import { getOrganizationForAdmin, listOrganizations, listPlatformAudit, reconcileUsage } from '@/server/tenancy/admin-queries';
import { tenantModels } from '@/server/tenancy/connections';
import { setOrgSecrets, updateOrgSettings } from '@/server/tenancy/org-settings';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { getPublicOrgConfig } from '@/server/tenancy/public-config';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

const slug = randomSlug('adm');
const op = { type: 'superadmin' as const, email: 'ops@platform.test' };

beforeAll(async () => {
  await startTenancy();
  await provisionOrganization({ slug, name: `Searchable ${slug}`, firstAdmin: { email: 'a@adm.io' }, actor: op });
  await setOrgSecrets(slug, { 'email.apiKey': 'PLAINTEXT-sg-key' }, op);
});
afterAll(stopTenancy);

describe('super-admin read side', () => {
  it('lists and searches organisations literally (regex characters are escaped)', async () => {
    const found = await listOrganizations({ q: slug.toUpperCase() });
    expect(found.organizations.map((o) => o.slug)).toEqual([slug]);
    expect(found.organizations[0]).toMatchObject({ status: 'active', usage: expect.objectContaining({ users: 1 }) });
    expect((await listOrganizations({ q: '.*' })).total).toBe(0);
    await expect(listOrganizations({ q: { $ne: 1 } as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('shows one organisation with secret status but no secret', async () => {
    const org = await getOrganizationForAdmin(slug);
    expect(JSON.stringify(org)).not.toMatch(/enc:v1|PLAINTEXT/);
    expect(org.secrets).toMatchObject({ 'email.apiKey': true, 'auth.jwtSecret': true, 'twilio.authToken': false });
  });

  it('settings changes are validated, applied, visible in public config at once, and audited', async () => {
    await updateOrgSettings(
      slug,
      { branding: { appName: 'Renamed', colors: { primary: '#123456' } }, features: { exports: false } },
      op,
    );
    const config = await getPublicOrgConfig(slug);
    expect(config.branding).toMatchObject({
      appName: 'Renamed',
      colors: expect.objectContaining({ primary: '#123456', accent: '#0ea5e9' }),
    });
    expect(config.features.exports).toBe(false);
    await expect(updateOrgSettings(slug, { branding: { colors: { primary: 'red;}</style>' } } }, op)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(updateOrgSettings(slug, { status: 'active' } as never, op)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const audit = await listPlatformAudit({ orgSlug: slug });
    expect(audit.map((e) => e.action)).toEqual(['org.settings.updated', 'org.secrets.updated', 'org.provisioned']);
    expect(audit[0]!.seq).toBeGreaterThan(audit[1]!.seq);
    // The hash covers the entry and the previous hash: recomputing it from the stored fields matches.
    const { _id, hash, ...entry } = audit[0]!;
    void _id;
    expect(entryHash(entry.prevHash!, entry)).toBe(hash);
    expect(entryHash(entry.prevHash!, { ...entry, details: { changed: {} } })).not.toBe(hash);
  });

  it('reconciles usage from the tenant database', async () => {
    await tenantModels(slug).Conversation.create({ customerId: new Types.ObjectId(), channel: 'webchat' });
    await tenantModels(slug).File.create({
      uploadedBy: new Types.ObjectId(),
      fileName: 'a.txt',
      s3Path: 'x/a.txt',
      fileSize: 1234,
    });
    expect(await reconcileUsage(slug)).toMatchObject({ users: 1, conversations: 1, storageBytes: 1234 });
  });
});
