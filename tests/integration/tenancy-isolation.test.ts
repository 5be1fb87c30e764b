import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '@/server/services/audit';
import { tenantModels } from '@/server/tenancy/connections';
import {
  assertCanAddUser,
  assertStorageAvailable,
  reconcileStorage,
  releaseStorage,
  reserveStorage,
} from '@/server/tenancy/plan-limits';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { platformModels } from '@/server/db/models/platform';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

const a = randomSlug('isa');
const b = randomSlug('isb');
const sharedId = new Types.ObjectId();
const email = 'same.person@example.com';

beforeAll(async () => {
  await startTenancy();
  await provisionOrganization({
    slug: a,
    name: 'A',
    firstAdmin: { email: 'admin@a.io' },
    plan: { tier: 'free', maxUsers: 3, maxStorageMB: 1 },
  });
  await provisionOrganization({ slug: b, name: 'B', firstAdmin: { email: 'admin@b.io' } });
  // Same _id and same email in both organisations.
  await tenantModels(a).User.create({ _id: sharedId, email, displayName: 'In A', role: 'Agent', status: 'active' });
  await tenantModels(b).User.create({ _id: sharedId, email, displayName: 'In B', role: 'Admin', status: 'active' });
});
afterAll(stopTenancy);

describe('tenant isolation at the model level', () => {
  it('reads by the same id or email only see their own organisation', async () => {
    expect((await tenantModels(a).User.findById(sharedId).lean())?.displayName).toBe('In A');
    expect((await tenantModels(b).User.findOne({ email }).lean())?.displayName).toBe('In B');
    expect(tenantModels(a).User.db.name).toBe(`org_${a}_db`);
    expect(tenantModels(a).User).not.toBe(tenantModels(b).User);
  });

  it('writes and deletes by the same id never cross', async () => {
    await tenantModels(a).User.updateOne({ _id: sharedId }, { $set: { displayName: 'Changed in A', role: 'Member' } });
    expect(await tenantModels(b).User.findById(sharedId).lean()).toMatchObject({ displayName: 'In B', role: 'Admin' });
    const conv = new Types.ObjectId();
    await tenantModels(b).Conversation.create({
      _id: conv,
      customerId: new Types.ObjectId(),
      channel: 'whatsapp',
      assigneeId: sharedId,
    });
    expect(await tenantModels(a).Conversation.countDocuments({ assigneeId: sharedId })).toBe(0);
    await tenantModels(a).Conversation.deleteMany({});
    expect(await tenantModels(b).Conversation.exists({ _id: conv })).toBeTruthy();
    await tenantModels(a).User.deleteOne({ _id: sharedId });
    expect(await tenantModels(b).User.exists({ _id: sharedId })).toBeTruthy();
    await tenantModels(a).User.create({ _id: sharedId, email, displayName: 'In A', role: 'Agent', status: 'active' });
  });

  it('audit logs, settings and counters are per organisation', async () => {
    await writeAudit({ scope: 'org', slug: a }, { action: 'test.only-a', actorType: 'system' });
    expect(await tenantModels(a).AuditLog.countDocuments({ action: 'test.only-a' })).toBe(1);
    expect(await tenantModels(b).AuditLog.countDocuments({ action: 'test.only-a' })).toBe(0);
    await tenantModels(a).Setting.create({ _id: 'inbox.greeting', value: 'hello A' });
    expect(await tenantModels(b).Setting.findById('inbox.greeting').lean()).toBeNull();
  });

  it('the unique email index is per organisation (a person may belong to both)', async () => {
    await expect(tenantModels(a).User.create({ email, displayName: 'dup', role: 'Agent' })).rejects.toMatchObject({
      code: 11000,
    });
  });
});

describe('Setting with _id: String on mongoose 9', () => {
  it('stores the key as a string _id, finds by it, upserts, and refuses a document without key', async () => {
    const { Setting } = tenantModels(b);
    const created = await Setting.create({ _id: 'sla.defaultMinutes', value: { firstResponse: 15 } });
    expect(created._id).toBe('sla.defaultMinutes');
    expect(typeof created._id).toBe('string');
    expect((await Setting.findById('sla.defaultMinutes').lean())?.value).toEqual({ firstResponse: 15 });
    await Setting.updateOne({ _id: 'sla.defaultMinutes' }, { $set: { value: 30 } }, { upsert: true });
    await Setting.updateOne({ _id: 'brand.motto' }, { $set: { value: 'we listen' } }, { upsert: true });
    expect((await Setting.findById('sla.defaultMinutes').lean())?.value).toBe(30);
    expect((await Setting.findById('brand.motto').lean())?.value).toBe('we listen');
    await expect(Setting.create({ value: 1 })).rejects.toThrow(/_id/);
    await expect(Setting.create({ _id: 'sla.defaultMinutes', value: 2 })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('plan limits', () => {
  it('refuses a user past maxUsers with a message naming the limit', async () => {
    // A has: invited admin + shared user = 2 of 3.
    await assertCanAddUser(a);
    await tenantModels(a).User.create({ email: 'third@a.io', displayName: 'Third', role: 'Agent' });
    await expect(assertCanAddUser(a)).rejects.toThrow(/maxUsers is 3/);
    await expect(assertCanAddUser(a)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', details: { limit: 'maxUsers' } });
    await tenantModels(a).User.updateOne({ email: 'third@a.io' }, { $set: { status: 'inactive' } });
    await assertCanAddUser(a);
  });

  it('keeps storage within maxStorageMB atomically, even under concurrent uploads', async () => {
    const MB = 1024 * 1024;
    await assertStorageAvailable(a, MB);
    await expect(assertStorageAvailable(a, MB + 1)).rejects.toThrow(/maxStorageMB is 1 MB/);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => reserveStorage(a, 300 * 1024)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 'maxStorageMB' } });
    const org = await platformModels().Organization.findOne({ slug: a }).lean();
    expect(org?.usage?.storageBytes).toBe(900 * 1024);
    await releaseStorage(a, 300 * 1024);
    await reserveStorage(a, 300 * 1024);
    expect(await reconcileStorage(a)).toBe(0); // no File documents: the counter is reset to the truth
  });
});

describe('User.role must name a role of the organisation (decision 7)', () => {
  it('refuses unknown roles on create, insertMany and updates; accepts real ones', async () => {
    const { User } = tenantModels(b);
    await expect(User.create({ email: 'typo@b.io', displayName: 'Typo', role: 'Admn' })).rejects.toThrow(
      /Role "Admn" does not exist/,
    );
    await expect(User.insertMany([{ email: 'typo2@b.io', displayName: 'T', role: 'Ghost' }])).rejects.toThrow(/Role "Ghost"/);
    await expect(User.updateOne({ email }, { $set: { role: 'Superuser' } })).rejects.toThrow(/Role "Superuser"/);
    await expect(User.findOneAndUpdate({ email }, { role: { $ne: null } } as never)).rejects.toThrow(/does not exist/);
    await User.updateOne({ email }, { $set: { role: 'Team Lead' } });
    expect((await User.findOne({ email }).lean())?.role).toBe('Team Lead');
    const doc = await User.findOne({ email });
    doc!.role = 'Nope';
    await expect(doc!.save()).rejects.toThrow(/Role "Nope"/);
  });
});
