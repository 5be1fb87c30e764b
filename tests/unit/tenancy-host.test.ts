import { describe, expect, it } from 'vitest';
import { classifyHost, hostFromHeaders, normalizeHost } from '@/server/tenancy/host';

const cfg = { baseDomain: 'example.com', platformHost: 'admin.example.com' };
const local = { baseDomain: 'localhost', platformHost: 'admin.localhost' };

describe('classifyHost table', () => {
  const table: Array<[string, ReturnType<typeof classifyHost>, typeof cfg?]> = [
    ['acme.example.com', { kind: 'subdomain', slug: 'acme' }],
    ['ACME.Example.COM', { kind: 'subdomain', slug: 'acme' }],
    ['acme.example.com:443', { kind: 'subdomain', slug: 'acme' }],
    ['acme.example.com.', { kind: 'subdomain', slug: 'acme' }],
    ['www.acme.example.com', { kind: 'subdomain', slug: 'acme' }],
    ['acme-2.example.com', { kind: 'subdomain', slug: 'acme-2' }],
    ['admin.example.com', { kind: 'platform' }],
    ['ADMIN.example.com:8443', { kind: 'platform' }],
    ['support.acme.io', { kind: 'custom', domain: 'support.acme.io' }],
    ['www.acme.io', { kind: 'custom', domain: 'acme.io' }],
    ['Bücher.DE', { kind: 'custom', domain: 'xn--bcher-kva.de' }],
    ['example.com', { kind: 'invalid' }],
    ['www.example.com', { kind: 'invalid' }],
    ['a.b.example.com', { kind: 'invalid' }],
    ['api.example.com', { kind: 'invalid' }], // reserved label
    ['-bad.example.com', { kind: 'invalid' }],
    ['x.example.com', { kind: 'invalid' }], // too short for a slug
    ['127.0.0.1', { kind: 'invalid' }],
    ['127.0.0.1:3000', { kind: 'invalid' }],
    ['0x7f.1', { kind: 'invalid' }],
    ['[::1]:3000', { kind: 'invalid' }],
    ['evil.com@acme.example.com', { kind: 'invalid' }],
    ['acme.example.com/path', { kind: 'invalid' }],
    ['acme.example.com\\evil', { kind: 'invalid' }],
    ['acme.example.com evil.com', { kind: 'invalid' }],
    ['acme.example.com%00', { kind: 'invalid' }],
    ['under_score.example.com', { kind: 'invalid' }],
    ['', { kind: 'invalid' }],
    ['localhost', { kind: 'invalid' }],
    ['demo.localhost:3000', { kind: 'subdomain', slug: 'demo' }, local],
    ['admin.localhost:3000', { kind: 'platform' }, local],
    ['localhost:3000', { kind: 'invalid' }, local],
  ];
  it.each(table)('%s', (host, expected, config) => {
    expect(classifyHost(host, config ?? cfg)).toEqual(expected);
  });
});

describe('hostFromHeaders', () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it('uses Host and ignores X-Forwarded-Host without a trusted proxy (spoofing)', () => {
    expect(hostFromHeaders(h({ host: 'acme.example.com', 'x-forwarded-host': 'other.example.com' }), { trustProxy: false })).toBe(
      'acme.example.com',
    );
  });
  it('believes the first X-Forwarded-Host behind a trusted proxy', () => {
    expect(
      hostFromHeaders(h({ host: 'internal:3000', 'x-forwarded-host': 'Other.Example.com, proxy.local' }), { trustProxy: true }),
    ).toBe('other.example.com');
  });
  it('falls back to Host when a trusted proxy sent none', () => {
    expect(hostFromHeaders(h({ host: 'ACME.example.com:80' }), { trustProxy: true })).toBe('acme.example.com');
  });
  it('returns empty for missing or malformed hosts', () => {
    expect(hostFromHeaders(h({}), { trustProxy: false })).toBe('');
    expect(hostFromHeaders(h({ host: 'a@b.com' }), { trustProxy: false })).toBe('');
    expect(hostFromHeaders(h({ host: 'ok.example.com', 'x-forwarded-host': 'a/b' }), { trustProxy: true })).toBe('');
  });
  it('normalises IDN and trailing dots', () => {
    expect(normalizeHost('MÜNCHEN.de.')).toBe('xn--mnchen-3ya.de');
  });
});
