import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformModels } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { platformRouter } from '@/server/trpc/routers/platform-router';
import { TXT_PREFIX } from '@/server/tenancy/domains';
import { startDnsTestServer, type DnsTestServer } from './dns-test-server';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';
import { codeOf } from '../helpers/error-code';
import { enrolledSuperAdmin } from '../helpers/super-admin';
import { createTestOrg } from '../helpers/orgs';

/**
 * The platform procedures through the real session (cookie -> platform-auth), as the panel calls
 * them: who may call them at all, and that every mutation leaves a platform audit entry.
 */
let admin: Awaited<ReturnType<typeof enrolledSuperAdmin>>;
let dns: DnsTestServer;
const PLATFORM = 'admin.localhost';

const asAdmin = (host = PLATFORM) =>
  createCaller(
    createInnerContext({
      host,
      headers: new Headers({ host, cookie: `platform_session=${admin.session.token}`, 'x-forwarded-for': '203.0.113.9' }),
    }),
  );

beforeAll(async () => {
  dns = await startDnsTestServer();
  process.env.DNS_RESOLVER = dns.address;
  resetEnvForTests();
  await startTenancy();
  admin = await enrolledSuperAdmin();
});

afterAll(async () => {
  await dns?.close();
  await stopTenancy();
});

describe('who may call platform procedures', () => {
  it('only a super admin with MFA, on the platform host', async () => {
    const tenant = await createTestOrg();
    const user = { id: 'u1', email: 'a@b.test', name: 'A', role: 'Admin', teamIds: [] };
    expect(await codeOf(asAdmin().platform.me())).toBe('OK');
    // The same cookie on a tenant host or an unknown host: the panel does not exist there.
    expect(await codeOf(asAdmin(`${tenant}.localhost`).platform.orgs.list({}))).toBe('NOT_FOUND');
    expect(await codeOf(asAdmin('evil.example').platform.orgs.list({}))).toBe('NOT_FOUND');
    // A tenant session (even an org Admin) is nobody on the platform host.
    expect(await codeOf(createCaller(createInnerContext({ host: PLATFORM, user })).platform.orgs.list({}))).toBe('UNAUTHORIZED');
    expect(
      await codeOf(
        createCaller(createInnerContext({ host: `${tenant}.localhost`, user })).platform.orgs.suspend({ slug: tenant }),
      ),
    ).toBe('NOT_FOUND');
    // No session, a forged one, or one without MFA.
    expect(await codeOf(createCaller(createInnerContext({ host: PLATFORM })).platform.me())).toBe('UNAUTHORIZED');
    const forged = new Headers({ host: PLATFORM, cookie: `platform_session=${admin.session.token.slice(0, -4)}AAAA` });
    expect(await codeOf(createCaller(createInnerContext({ host: PLATFORM, headers: forged })).platform.me())).toBe(
      'UNAUTHORIZED',
    );
    const noMfa = { id: 'x', email: 'x@platform.test', mfa: false };
    expect(await codeOf(createCaller(createInnerContext({ host: PLATFORM, superAdmin: noMfa })).platform.me())).toBe('FORBIDDEN');
    // Operator input never carries operators into a filter.
    expect(await codeOf(asAdmin().platform.orgs.get({ slug: { $ne: null } as never }))).toBe('BAD_REQUEST');
  });
});

describe('every panel mutation is audited', () => {
  it('covers each mutation of the platform router with an entry naming the operator', async () => {
    const slug = randomSlug('pa');
    const domain = `${slug}.example.org`;
    const api = asAdmin();
    const cases: Record<string, { run: () => Promise<unknown>; action: string }> = {
      'orgs.provision': {
        run: () =>
          api.platform.orgs.provision({
            slug,
            name: 'Audited Ltd',
            plan: { tier: 'starter' },
            firstAdmin: { email: `boss@${slug}.test` },
          }),
        action: 'org.provisioned',
      },
      'orgs.resendInvitation': {
        run: () => api.platform.orgs.resendInvitation({ slug, email: `boss@${slug}.test` }),
        action: 'org.invitation.sent',
      },
      'orgs.update': {
        run: () => api.platform.orgs.update({ slug, patch: { branding: { appName: 'Audited' }, features: { exports: false } } }),
        action: 'org.settings.updated',
      },
      'orgs.setSecrets': {
        run: () => api.platform.orgs.setSecrets({ slug, secrets: { 'twilio.authToken': 'tw-secret-value-123' } }),
        action: 'org.secrets.updated',
      },
      'orgs.refreshUsage': { run: () => api.platform.orgs.refreshUsage({ slug }), action: 'org.usage.recounted' },
      'orgs.suspend': { run: () => api.platform.orgs.suspend({ slug, reason: 'test' }), action: 'org.suspended' },
      'orgs.reactivate': { run: () => api.platform.orgs.reactivate({ slug }), action: 'org.reactivated' },
      'domains.add': {
        run: async () => {
          const info = await api.platform.domains.add({ slug, domain });
          dns.txt.set(info.txtRecord.name, [info.txtRecord.value]);
        },
        action: 'org.domain.added',
      },
      'domains.verify': { run: () => api.platform.domains.verify({ slug, domain }), action: 'org.domain.verified' },
      'domains.remove': { run: () => api.platform.domains.remove({ slug, domain }), action: 'org.domain.removed' },
    };
    // Enumerated from the router, so a new mutation without a case here fails this test.
    const mutations = Object.entries(platformRouter._def.procedures)
      .filter(([, p]) => (p as { _def: { type: string } })._def.type === 'mutation')
      .map(([path]) => path)
      .sort();
    expect(mutations).toEqual(Object.keys(cases).sort());

    for (const [path, c] of Object.entries(cases)) {
      const before = await platformModels().PlatformAuditLog.countDocuments({ action: c.action, orgSlug: slug });
      await c.run();
      const entry = await platformModels().PlatformAuditLog.findOne({ action: c.action, orgSlug: slug }).sort({ seq: -1 }).lean();
      expect(await platformModels().PlatformAuditLog.countDocuments({ action: c.action, orgSlug: slug }), path).toBe(before + 1);
      expect(entry, path).toMatchObject({
        actorType: 'superadmin',
        actorId: admin.id,
        actorEmail: admin.email,
        ipAddress: '203.0.113.9',
      });
    }
    expect(dns.txt.has(`${TXT_PREFIX}.${domain}`)).toBe(true);
  });

  it('keeps secrets write-only: set/not set, never the value, in answers and in the audit log', async () => {
    const slug = randomSlug('pw');
    const api = asAdmin();
    await api.platform.orgs.provision({ slug, name: 'Secretive', firstAdmin: { email: `a@${slug}.test` } });
    await api.platform.orgs.setSecrets({ slug, secrets: { 'email.apiKey': 'SG.super-secret-key-value' } });
    const org = await api.platform.orgs.get({ slug });
    expect(org.secrets['email.apiKey']).toBe(true);
    expect(org.secrets['twilio.authToken']).toBe(false);
    expect(JSON.stringify(org)).not.toContain('super-secret-key-value');
    expect(JSON.stringify(org)).not.toMatch(/enc:v1:/);
    const audit = await api.platform.audit.list({ orgSlug: slug });
    expect(audit.map((e) => e.action)).toContain('org.secrets.updated');
    expect(JSON.stringify(audit)).not.toContain('super-secret-key-value');
    await api.platform.orgs.setSecrets({ slug, secrets: { 'email.apiKey': null } });
    expect((await api.platform.orgs.get({ slug })).secrets['email.apiKey']).toBe(false);
  });

  it('lists organisations with usage and finds them by a literal search', async () => {
    const slug = randomSlug('ps');
    await asAdmin().platform.orgs.provision({ slug, name: `Findable ${slug}`, firstAdmin: { email: `a@${slug}.test` } });
    const found = await asAdmin().platform.orgs.list({ q: slug });
    expect(found.organizations.map((o) => o.slug)).toEqual([slug]);
    expect(found.organizations[0]?.usage).toMatchObject({ users: 1, storageBytes: 0 });
    expect((await asAdmin().platform.orgs.list({ q: '.*' })).organizations).toHaveLength(0);
  });
});
