import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { tenantModels } from '@/server/tenancy/connections';
import { closeQueues } from '@/server/queues';
import { authzOrg, outcome, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';
import { isolateRedisPrefix } from '../helpers/prefix';

/** Role management: names validated on save (decision 7), edits in force everywhere within a second. */
let o: AuthzOrg;
let child: ChildProcess | undefined;

beforeAll(async () => {
  isolateRedisPrefix('admin-roles');
  await startTenancy();
  o = await authzOrg('ro');
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await closeQueues();
  await stopTenancy();
});

const member = () => DEFAULT_ROLES.find((r) => r.name === 'Member')!;

describe('role names', () => {
  it('saving a user with an unknown role is an error, and changes nothing', async () => {
    const admin = o.caller('Admin');
    expect(await outcome(admin.admin.users.update({ id: o.someoneId, role: 'Superhero' }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.admin.users.invite({ email: `new@${o.slug}.test`, role: 'Superhero' }))).toBe('BAD_REQUEST');
    // Below the service: the model refuses it on every write path too.
    await expect(tenantModels(o.slug).User.updateOne({ _id: o.someoneId }, { $set: { role: 'Superhero' } })).rejects.toThrow(/does not exist/);
    expect((await tenantModels(o.slug).User.findById(o.someoneId).lean())!.role).toBe('Agent');
  });

  it('a role cannot be deleted while users hold it, nor can the last admin role go', async () => {
    const admin = o.caller('Admin');
    expect(await outcome(admin.admin.roles.delete({ name: 'Agent' }))).toBe('CONFLICT');
    const adminRole = DEFAULT_ROLES.find((r) => r.name === 'Admin')!;
    const demoted = { ...adminRole, permissions: [{ action: 'read' as const, subject: 'all' as const }] };
    expect(await outcome(admin.admin.roles.save({ originalName: 'Admin', role: demoted }))).toBe('BAD_REQUEST');
  });

  it('stored rules are validated: unknown words and dangerous operators are refused', async () => {
    const admin = o.caller('Admin');
    const bad = (permissions: unknown) => outcome(admin.admin.roles.save({ originalName: null, role: { name: 'Bad', level: 5, permissions } as never }));
    expect(await bad([{ action: 'fly', subject: 'Conversation' }])).toBe('BAD_REQUEST');
    expect(await bad([{ action: 'read', subject: 'Conversation', conditions: { $where: 'true' } }])).toBe('BAD_REQUEST');
  });

  it('renaming a role moves its users and lists them under the new name with plain-word summaries', async () => {
    const admin = o.caller('Admin');
    const bm = DEFAULT_ROLES.find((r) => r.name === 'Branch Manager')!;
    await admin.admin.roles.save({ originalName: 'Branch Manager', role: { ...bm, name: 'Site Manager' } });
    const roles = await admin.admin.roles.list();
    const site = roles.find((r) => r.name === 'Site Manager')!;
    expect(site.userCount).toBe(1);
    expect(site.summary).toContain('Read conversations in their branch');
    expect(roles.some((r) => r.name === 'Branch Manager')).toBe(false);
    expect((await tenantModels(o.slug).User.findById(o.users['Branch Manager']!.id).lean())!.role).toBe('Site Manager');
  });
});

describe('editing a role', () => {
  it("takes effect for that role's users in another process within a second", async () => {
    const lines: Array<Record<string, unknown>> = [];
    child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/authz-ability-watcher.ts', o.host, JSON.stringify(o.users.Member)], {
      env: { ...process.env, ORG_CACHE_TTL_MS: '600000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const raw of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(raw) as Record<string, unknown>);
    });
    const waitFor = async (pred: (l: Record<string, unknown>) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const hit = lines.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`timed out; child said ${JSON.stringify(lines)}`);
    };
    const ready = await waitFor((l) => l.ready === true, 30_000);
    expect(ready.conversations).toBe('FORBIDDEN');

    const savedAt = Date.now();
    const m = member();
    await o.caller('Admin').admin.roles.save({
      originalName: 'Member',
      role: { ...m, permissions: [...m.permissions, { action: 'read', subject: 'Conversation', conditions: { branchId: '${user.branchId}' } }] },
    });
    const change = await waitFor((l) => l.change === true, 5_000);
    expect(change.conversations).toBe(1); // the one conversation in the Member's branch
    expect(Number(change.at) - savedAt).toBeLessThan(1_000);
    // And here, in this process, at once.
    expect(await o.caller('Member').conversations.list()).toHaveLength(1);
  });
});
