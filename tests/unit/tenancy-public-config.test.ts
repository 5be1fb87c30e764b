import { describe, expect, it } from 'vitest';
import { brandCssVariables, toPublicConfig } from '@/server/tenancy/public-config';
import type { CachedOrg } from '@/server/tenancy/org-cache';

const org = {
  _id: 'x',
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  dbName: 'org_acme_db',
  configVersion: 4,
  auth: {
    method: 'oidc',
    jwtSecret: 'enc:v1:k:a:b:c',
    oidc: { provider: 'okta', issuer: 'https://idp', clientId: 'cid', clientSecret: 'enc:v1:k:a:b:c' },
  },
  twilio: { enabled: true, accountSid: 'AC123', authToken: 'enc:v1:k:a:b:c' },
  storage: { bucket: 'b', secretAccessKey: 'enc:v1:k:a:b:c' },
  branding: { appName: 'Acme Help', logo: 'https://cdn/logo.svg', colors: { primary: '#ff0000' } },
  features: { exports: false },
  channelTypes: [{ key: 'general', label: 'General', autoCreate: true }],
  roles: [{ name: 'Admin', level: 100, permissions: [{ action: 'manage', subject: 'all' }] }],
  plan: { tier: 'pro', maxUsers: 10, maxStorageMB: 10 },
} as unknown as CachedOrg;

describe('public org config', () => {
  it('is built from an allow-list: branding, sign-in methods, features; no secrets, ids or settings', () => {
    const config = toPublicConfig(org);
    expect(config).toMatchObject({
      slug: 'acme',
      name: 'Acme',
      signIn: { methods: ['oidc'], provider: 'okta' },
      branding: { appName: 'Acme Help', logo: 'https://cdn/logo.svg', favicon: null },
      configVersion: 4,
    });
    expect(config.branding.colors.primary).toBe('#ff0000');
    expect(config.branding.colors.background).toBe('#ffffff'); // defaults fill the 12 colours
    expect(Object.keys(config.branding.colors)).toHaveLength(12);
    expect(config.features).toMatchObject({ exports: false, inbox: true });
    expect(Object.keys(config.features)).toHaveLength(11);
    const json = JSON.stringify(config);
    for (const leak of ['enc:v1', 'AC123', 'cid', 'https://idp', 'org_acme_db', 'maxUsers', 'manage'])
      expect(json).not.toContain(leak);
  });

  it('renders CSS variables for server-side branding', () => {
    const css = brandCssVariables(toPublicConfig(org));
    expect(css).toContain('--color-primary: #ff0000;');
    expect(css).toContain('--color-primary-foreground: #ffffff;');
    expect(css.match(/--color-/g)).toHaveLength(12);
  });
});
