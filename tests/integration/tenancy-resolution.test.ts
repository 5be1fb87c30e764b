import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEnv, resetEnvForTests } from '@/server/env';
import { hostFromHeaders } from '@/server/tenancy/host';
import {
  addCustomDomain,
  listCustomDomains,
  mayIssueCertificate,
  TXT_PREFIX,
  verifyCustomDomain,
} from '@/server/tenancy/domains';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { resolveOrgByHost } from '@/server/tenancy/resolve';
import { suspendOrganization } from '@/server/tenancy/lifecycle';
import { startDnsTestServer, type DnsTestServer } from './dns-test-server';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

let dns: DnsTestServer;
const a = randomSlug('ra');
const b = randomSlug('rb');
const verified = `support.${a}.example`;
const unverified = `help.${b}.example`;
const op = { type: 'superadmin' as const, email: 'ops@platform.test' };

beforeAll(async () => {
  dns = await startDnsTestServer();
  process.env.BASE_DOMAIN = 'example.com';
  process.env.PLATFORM_HOST = 'admin.example.com';
  process.env.DNS_RESOLVER = dns.address;
  resetEnvForTests();
  await startTenancy();
  await provisionOrganization({ slug: a, name: 'A', firstAdmin: { email: 'x@a.io' } });
  await provisionOrganization({ slug: b, name: 'B', firstAdmin: { email: 'x@b.io' } });
  const added = await addCustomDomain(a, verified.toUpperCase(), op);
  expect(added.txtRecord.name).toBe(`${TXT_PREFIX}.${verified}`);
  await expect(verifyCustomDomain(verified, op)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  dns.txt.set(added.txtRecord.name, ['unrelated=1', added.txtRecord.value]);
  expect((await verifyCustomDomain(verified, op)).verified).toBe(true);
  const pending = await addCustomDomain(b, unverified, op);
  dns.txt.set(pending.txtRecord.name, ['customer-ops-verify=wrong-token']);
  await expect(verifyCustomDomain(unverified, op)).rejects.toThrow(/does not contain/);
});
afterAll(async () => {
  await stopTenancy();
  await dns.close();
});

describe('host resolution table', () => {
  const cases: Array<[string, string | null]> = [
    [`${a}.example.com`, a],
    [`${a.toUpperCase()}.Example.COM`, a],
    [`${a}.example.com:3000`, a],
    [`${a}.example.com.`, a],
    [`www.${a}.example.com`, a],
    [`${b}.example.com`, b],
    [verified, a],
    [`${verified.toUpperCase()}:443`, a],
    [`www.${verified}`, a],
    [unverified, null], // added but not verified
    ['nobody-here.example.com', null],
    ['unknown-domain.example', null],
    ['admin.example.com', null], // platform host: no organisation
    ['example.com', null],
    ['127.0.0.1', null],
    ['[::1]:3000', null],
    [`${a}.example.com@evil.com`, null],
    [`evil.com#${a}.example.com`, null],
    [`x.${a}.example.com`, null],
  ];
  it.each(cases)('%s -> %s', async (host, slug) => {
    const ctx = await resolveOrgByHost(host);
    expect(ctx?.slug ?? null).toBe(slug);
    if (ctx) expect(ctx.status).toBe('active');
  });

  it('a spoofed X-Forwarded-Host is ignored unless the proxy is trusted', async () => {
    const headers = new Headers({ host: `${a}.example.com`, 'x-forwarded-host': `${b}.example.com` });
    expect((await resolveOrgByHost(hostFromHeaders(headers, { trustProxy: false })))?.slug).toBe(a);
    expect((await resolveOrgByHost(hostFromHeaders(headers, { trustProxy: true })))?.slug).toBe(b);
  });

  it('reports the custom domain and its verification state', async () => {
    expect(await listCustomDomains(b)).toEqual([
      expect.objectContaining({ domain: unverified, verified: false, lastCheckError: expect.stringMatching(/does not contain/) }),
    ]);
    await expect(addCustomDomain(b, verified, op)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addCustomDomain(b, `shop.${getEnv().BASE_DOMAIN}`, op)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers Caddy ask: platform, workspaces and verified domains only', async () => {
    expect(await mayIssueCertificate('admin.example.com')).toBe(true);
    expect(await mayIssueCertificate(verified)).toBe(true);
    expect(await mayIssueCertificate(`${b}.example.com`)).toBe(true);
    expect(await mayIssueCertificate(unverified)).toBe(false);
    expect(await mayIssueCertificate('random.example.org')).toBe(false);
    expect(await mayIssueCertificate('10.0.0.1')).toBe(false);
  });

  it('a suspended organisation still resolves, with status suspended, in the same process at once', async () => {
    const c = randomSlug('rc');
    await provisionOrganization({ slug: c, name: 'C', firstAdmin: { email: 'x@c.io' } });
    expect((await resolveOrgByHost(`${c}.example.com`))?.status).toBe('active');
    await suspendOrganization(c, op, 'unpaid');
    expect((await resolveOrgByHost(`${c}.example.com`))?.status).toBe('suspended');
  });
});
