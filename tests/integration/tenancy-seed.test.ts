import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@/server/crypto/passwords';
import { platformModels } from '@/server/db/models/platform';
import { seedDemo } from '@/server/services/demo/seed';
import { tenantModels } from '@/server/tenancy/connections';
import { getPublicOrgConfig } from '@/server/tenancy/public-config';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { startTenancy, stopTenancy } from './tenancy-helpers';

beforeAll(startTenancy);
afterAll(stopTenancy);

describe('seedDemo', () => {
  it('seeds a branded demo org with one user per role, and is idempotent', async () => {
    const first = await seedDemo();
    const second = await seedDemo();
    expect(second).toEqual(first);
    expect(first.org.slug).toBe('demo');
    expect(first.users.map((u) => u.role).sort()).toEqual(DEFAULT_ROLES.map((r) => r.name).sort());

    const m = tenantModels('demo');
    expect(await m.User.countDocuments()).toBe(first.users.length);
    for (const u of first.users) {
      const doc = await m.User.findOne({ email: u.email }).lean();
      expect(doc?.role).toBe(u.role);
      expect(doc?.status).toBe('active');
      expect(await verifyPassword(doc?.passwordHash, u.password)).toBe(true);
    }
    const sa = await platformModels().SuperAdmin.findOne({ email: first.superAdmin.email }).lean();
    expect(await verifyPassword(sa?.passwordHash, first.superAdmin.password)).toBe(true);

    expect(await m.Team.countDocuments()).toBe(2);
    expect(await m.Branch.countDocuments()).toBe(1);
    const convs = await m.Conversation.find().lean();
    expect(convs.map((c) => c.channel).sort()).toEqual(['messenger', 'webchat', 'whatsapp']);
    expect(await m.ConversationMessage.countDocuments()).toBe(6);
    const general = await m.Channel.findOne({ type: 'general' }).lean();
    expect(await m.ChannelMembership.countDocuments({ channelId: general!._id })).toBe(first.users.length);
    expect(await m.Channel.countDocuments({ type: 'team' })).toBe(1);

    const config = await getPublicOrgConfig('demo');
    expect(config.branding.appName).toBe('Harbor Desk');
    expect(config.branding.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(config.branding.colors.primary).toBe('#0f766e');
    expect(config.signIn.methods).toEqual(['password']);
    expect(JSON.stringify(config)).not.toMatch(/enc:v1|jwtSecret|passwordHash/);
  });
});
