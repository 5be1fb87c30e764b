import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueues } from '@/server/queues';
import { verifyAuditChain, writeAudit } from '@/server/services/audit';
import { tenantModels } from '@/server/tenancy/connections';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The organisation audit log: every admin mutation leaves an entry (who, what, before/after, IP),
 * entries cannot be changed through the models, the chain survives concurrent writers in several
 * processes, and the verify command finds tampering done directly in the database.
 */
const run = promisify(execFile);
let o: AuthzOrg;

beforeAll(async () => {
  isolateRedisPrefix('admin-audit');
  await startTenancy();
  o = await authzOrg('au');
});

afterAll(async () => {
  await closeQueues();
  await stopTenancy();
});

const admin = () =>
  createCaller(createInnerContext({ host: o.host, user: o.users.Admin!, headers: new Headers({ host: o.host, 'x-real-ip': '203.0.113.7', 'user-agent': 'audit-test' }) }));
const last = async () => (await tenantModels(o.slug).AuditLog.find().sort({ seq: -1 }).limit(1).lean())[0]!;

describe('every admin mutation is audited', () => {
  it('with actor, target, IP, before and after', async () => {
    const a = admin();
    const cases: Array<[string, () => Promise<unknown>, (d: { before: unknown; after: unknown }) => void]> = [
      ['user.updated', () => a.admin.users.update({ id: o.someoneId, skills: ['french'], maxConcurrent: 3 }), (d) => {
        expect(d.before).toMatchObject({ maxConcurrent: 5 });
        expect(d.after).toMatchObject({ skills: ['french'], maxConcurrent: 3 });
        expect(JSON.stringify(d)).not.toMatch(/passwordHash|sessionsValidAfter/);
      }],
      ['user.invited', () => a.admin.users.invite({ email: `new@${o.slug}.test`, role: 'Agent', teamIds: [o.teams.mine], branchId: o.branches.mine }), (d) => {
        expect(d.after).toMatchObject({ email: `new@${o.slug}.test`, role: 'Agent', teamIds: [o.teams.mine], branchId: o.branches.mine });
      }],
      ['user.deactivated', () => a.admin.users.setActive({ id: o.someoneId, active: false }), (d) => expect(d).toEqual({ before: { status: 'active' }, after: { status: 'inactive' } })],
      ['team.created', () => a.admin.teams.create({ name: 'Audited' }), (d) => expect(d.after).toMatchObject({ name: 'Audited' })],
      ['team.updated', () => a.admin.teams.update({ id: o.teams.other, description: 'changed' }), (d) => expect(d.after).toMatchObject({ description: 'changed' })],
      ['branch.created', () => a.admin.branches.create({ name: 'North', code: 'N1' }), (d) => expect(d.after).toMatchObject({ code: 'N1' })],
      ['branch.updated', () => a.admin.branches.update({ id: o.branches.other, address: '1 Main St' }), (d) => expect(d.before).toMatchObject({ code: 'OTHER' })],
      ['role.created', () => a.admin.roles.save({ originalName: null, role: { name: 'Auditor', level: 30, permissions: [{ action: 'read', subject: 'AuditLog' }] } }), (d) => expect(d.after).toMatchObject({ name: 'Auditor' })],
      ['role.deleted', () => a.admin.roles.delete({ name: 'Auditor' }), (d) => expect(d.before).toMatchObject({ name: 'Auditor' })],
      ['routing.rule.created', () => a.routing.upsert({ name: 'VIP', order: 1 }), (d) => expect(d.after).toMatchObject({ name: 'VIP' })],
      ['sla.policy.updated', () => a.routing.setSla({ firstResponseMinutes: 5, resolutionMinutes: 60 }), (d) => expect(d.after).toEqual({ firstResponseMinutes: 5, resolutionMinutes: 60 })],
      ['team.deleted', () => a.admin.teams.delete({ id: o.teams.other }), (d) => expect(d.after).toBeNull()],
      ['branch.deleted', () => a.admin.branches.delete({ id: o.branches.other }), (d) => expect(d.after).toBeNull()],
    ];
    for (const [action, mutate, check] of cases) {
      if (action === 'user.deactivated') {
        // The invitation went through the identity service; teams and branch are set on the new user.
        const invited = await tenantModels(o.slug).User.findOne({ email: `new@${o.slug}.test` }).lean();
        expect(invited).toMatchObject({ status: 'invited', role: 'Agent', branchId: expect.anything() });
        expect(invited!.teamIds.map(String)).toEqual([o.teams.mine]);
      }
      await mutate();
      const entry = await last();
      expect(entry.action, action).toBe(action);
      expect(entry).toMatchObject({ actorType: 'user', actorId: o.users.Admin!.id, actorEmail: o.users.Admin!.email, ipAddress: '203.0.113.7', userAgent: 'audit-test' });
      expect(entry.target?.id, action).toBeTruthy();
      check(entry.details as { before: unknown; after: unknown });
    }
  });

  it('the viewer filters by actor, action and date range, newest first', async () => {
    const a = admin();
    const byAction = await a.admin.audit.list({ action: 'team.' });
    expect(byAction.entries.map((e) => e.action)).toEqual(['team.deleted', 'team.updated', 'team.created']);
    expect((await a.admin.audit.list({ actor: o.users.Admin!.email })).entries.length).toBeGreaterThanOrEqual(12);
    expect((await a.admin.audit.list({ actor: 'nobody@x.test' })).entries).toEqual([]);
    expect((await a.admin.audit.list({ to: new Date(Date.now() - 3_600_000) })).entries).toEqual([]);
    const page = await a.admin.audit.list({ limit: 5 });
    const next = await a.admin.audit.list({ limit: 5, cursor: page.nextCursor! });
    expect(next.entries[0]!.seq).toBe(page.entries[4]!.seq - 1);
  });
});

describe('the chain', () => {
  it('no model operation can update or delete entries', async () => {
    const { AuditLog } = tenantModels(o.slug);
    const id = (await last())._id;
    const attempts = [
      () => AuditLog.updateOne({ _id: id }, { $set: { action: 'x' } }),
      () => AuditLog.updateMany({}, { $set: { action: 'x' } }),
      () => AuditLog.findOneAndUpdate({ _id: id }, { $set: { action: 'x' } }),
      () => AuditLog.replaceOne({ _id: id }, { action: 'x' }),
      () => AuditLog.findOneAndReplace({ _id: id }, { action: 'x' }),
      () => AuditLog.deleteOne({ _id: id }),
      () => AuditLog.deleteMany({}),
      () => AuditLog.findOneAndDelete({ _id: id }),
      () => AuditLog.bulkWrite([{ deleteOne: { filter: { _id: id } } }]),
      () => AuditLog.bulkWrite([{ updateOne: { filter: { _id: id }, update: { $set: { action: 'x' } } } }]),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(o.slug)).ok).toBe(true);
  });

  it('concurrent appends from three processes never fork the chain', async () => {
    const before = await tenantModels(o.slug).AuditLog.countDocuments();
    const child = () => run(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/audit-appender.ts', o.slug, '20'], { env: process.env });
    await Promise.all([
      child(),
      child(),
      ...Array.from({ length: 20 }, (_, i) => writeAudit({ scope: 'org', slug: o.slug }, { action: 'test.parent', actorType: 'system', details: { i } })),
    ]);
    const report = await verifyAuditChain(o.slug);
    expect(report).toMatchObject({ ok: true, checked: before + 60 });
  });

  it('the verify command reports the first broken link after a raw-database edit', async () => {
    const cli = (target: string) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/verify-audit-chain.ts', target], { env: process.env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const ok = await cli(o.slug);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^OK /);
    // Tamper below mongoose (as someone with database access would): change one entry's details.
    const raw = tenantModels(o.slug).AuditLog.collection; // the driver's collection: no mongoose hooks
    await raw.updateOne({ seq: 3 }, { $set: { 'details.after.name': 'forged' } });
    const broken = await cli(o.slug);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN .*seq 3: content does not match/);
    // A removed entry is found too, at the gap.
    await raw.deleteOne({ seq: 2 });
    expect((await cli(o.slug)).out).toMatch(/seq 3: expected seq 2/);
  });
});
