import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformModels } from '@/server/db/models/platform';
import { tenantConnection, tenantModels } from '@/server/tenancy/connections';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

beforeAll(startTenancy);
afterAll(stopTenancy);

describe('provisionOrganization', () => {
  it('creates the platform record, tenant database, indexes, roles, auto channels, first admin and audit entries', async () => {
    const slug = randomSlug('prov');
    const t0 = performance.now();
    const res = await provisionOrganization({
      slug,
      name: 'Provision Test',
      plan: { tier: 'starter' },
      firstAdmin: { email: 'Boss@Example.com' },
      actor: { type: 'superadmin', email: 'ops@platform.test' },
    });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(10_000);
    expect(res.dbName).toBe(`org_${slug}_db`);

    const org = await platformModels().Organization.findOne({ slug }).lean();
    expect(org?.status).toBe('active');
    expect(org?.plan).toMatchObject({ tier: 'starter', maxUsers: 25 });
    expect(org?.roles.map((r) => r.name)).toEqual(DEFAULT_ROLES.map((r) => r.name));
    expect(org?.roles.find((r) => r.name === 'Agent')?.permissions).toContainEqual(
      expect.objectContaining({ conditions: { assigneeId: '${user.id}' } }),
    );
    expect(org?.auth?.jwtSecret).toMatch(/^enc:v1:/);
    expect(org?.usage?.users).toBe(1);

    const names = (await tenantConnection(slug).db!.listCollections().toArray()).map((c) => c.name).sort();
    for (const c of [
      'users',
      'conversations',
      'conversation_messages',
      'channels',
      'channel_memberships',
      'settings',
      'audit_logs',
      'event_log',
      'notifications',
    ]) {
      expect(names).toContain(c);
    }
    const m = tenantModels(slug);
    const idx = await m.ChannelMembership.collection.indexes();
    expect(idx).toContainEqual(expect.objectContaining({ key: { channelId: 1, userId: 1 }, unique: true }));
    const chIdx = await m.Channel.collection.indexes();
    expect(chIdx).toContainEqual(
      expect.objectContaining({ key: { dm_key: 1 }, unique: true, partialFilterExpression: { dm_key: { $type: 'string' } } }),
    );
    const nIdx = await m.Notification.collection.indexes();
    expect(nIdx).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    const convIdx = await m.Conversation.collection.indexes();
    expect(convIdx).toContainEqual(expect.objectContaining({ key: { status: 1, assigneeId: 1, updatedAt: -1 } }));

    const admin = await m.User.findOne({ email: 'boss@example.com' }).lean();
    expect(admin).toMatchObject({ role: 'Admin', status: 'invited', isProtected: true });
    const channels = await m.Channel.find({ origin_type: 'system' }).lean();
    expect(channels.map((c) => c.type).sort()).toEqual(['announcements', 'general']);
    expect(await m.ChannelMembership.countDocuments({ userId: admin!._id })).toBe(2);

    const platformAudit = await platformModels().PlatformAuditLog.findOne({ orgSlug: slug, action: 'org.provisioned' }).lean();
    expect(platformAudit).toMatchObject({ actorType: 'superadmin', actorEmail: 'ops@platform.test' });
    expect(platformAudit?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await m.AuditLog.countDocuments({ action: 'org.provisioned' })).toBe(1);
  });

  it('refuses a taken slug, a reserved slug and operator-shaped input', async () => {
    const slug = randomSlug('dup');
    await provisionOrganization({ slug, name: 'One', firstAdmin: { email: 'a@x.io' } });
    await expect(provisionOrganization({ slug, name: 'Two', firstAdmin: { email: 'a@x.io' } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(provisionOrganization({ slug: 'admin', name: 'X', firstAdmin: { email: 'a@x.io' } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      provisionOrganization({ slug: { $ne: '' } as never, name: 'X', firstAdmin: { email: 'a@x.io' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('platform audit log entries expire after one year and cannot be edited', async () => {
    const { PlatformAuditLog } = platformModels();
    const idx = await PlatformAuditLog.collection.indexes();
    expect(idx).toContainEqual(expect.objectContaining({ key: { timestamp: 1 }, expireAfterSeconds: 31_536_000 }));
    await expect(PlatformAuditLog.updateOne({}, { $set: { action: 'x' } })).rejects.toThrow(/append-only/);
    await expect(PlatformAuditLog.deleteMany({})).rejects.toThrow(/append-only/);
  });
});
