import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents } from '@/server/tenancy/config-events';
import { tenantModels } from '@/server/tenancy/connections';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { freePort } from '../helpers/ports';
import { randomSlug } from '../helpers/orgs';
import { startOidcProvider, type LocalOidcProvider } from '../support/idp/oidc-provider';
import { startSamlIdp, type SamlIdp } from '../support/idp/saml-idp';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/**
 * Single sign-on in Chromium against local identity providers that speak the real protocols:
 * OpenID Connect (oidc-provider) and SAML 2.0 (signed assertions), each configured as one
 * organisation's own IdP; the first sign-in creates the user with the default role.
 */
let browser: Browser;
let oidc: LocalOidcProvider;
let saml: SamlIdp;
const slugs = { oidc: randomSlug('e2eoidc'), saml: randomSlug('e2esaml'), samlDrop: randomSlug('e2edrop') };
const host = (slug: string) => `${slug}.localhost`;

beforeAll(async () => {
  await connectMongo();
  const oidcPort = await freePort();
  oidc = await startOidcProvider({
    port: oidcPort,
    redirectUris: [`http://${host(slugs.oidc)}:${inject('e2e').webPort}/api/auth/callback/oidc`],
  });
  saml = await startSamlIdp({ email: 'sam@corp.test', name: 'Sam Saml' });
  const admin = (slug: string) => ({ email: `admin@${slug}.test` });
  await provisionOrganization({
    slug: slugs.oidc,
    name: 'OIDC Corp',
    firstAdmin: admin(slugs.oidc),
    branding: { appName: 'OIDC Corp', colors: { primary: '#7c3aed' } },
    auth: {
      method: 'oidc',
      oidc: { provider: 'generic', issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret },
    },
  });
  for (const [slug, path] of [
    [slugs.saml, '/sso'],
    [slugs.samlDrop, '/sso-drop-relay'],
  ] as const) {
    await provisionOrganization({
      slug,
      name: `SAML Corp ${path}`,
      firstAdmin: admin(slug),
      branding: { appName: 'SAML Corp', colors: { primary: '#0f766e' } },
      auth: { method: 'saml', saml: { entryPoint: `${saml.url}${path}`, idpIssuer: saml.issuer, idpCert: saml.cert } },
    });
  }
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await oidc?.close();
  await saml?.close();
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
});

async function startSso(page: Page, slug: string) {
  await page.goto(webUrl(host(slug), '/sign-in?next=%2Faccount')); // the account page shows who signed in
  await page.getByTestId('sso-button').click();
}

describe('single sign-on', () => {
  it('OIDC: signs in through the organisation’s OpenID provider and creates the user', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(webUrl(host(slugs.oidc), '/sign-in?next=%2Faccount'));
    await screenshot(page, 'identity-oidc-sign-in');
    await page.getByTestId('sso-button').click();
    // oidc-provider's development login, then its consent page.
    await page.waitForURL(`${oidc.issuer}/**`);
    await page.locator('input[name="login"]').fill('olivia');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await page.waitForURL('**/account', { timeout: 30_000 });
    await page.getByTestId('account-email').waitFor({ state: 'visible' });
    expect(await page.getByTestId('account-email').textContent()).toBe('olivia@oidc.test');
    expect(await page.getByTestId('account-role').textContent()).toBe('Member');
    const user = await tenantModels(slugs.oidc).User.findOne({ email: 'olivia@oidc.test' }).lean();
    expect(user?.externalId).toBe(`oidc:${oidc.issuer}|olivia`);
    // next-auth's own cookie was exchanged for ours and removed.
    const names = (await page.context().cookies()).map((c) => c.name);
    expect(names).toContain('cop_session');
    expect(names).not.toContain('authjs.session-token');
    await screenshot(page, 'identity-oidc-account');
    await page.close();
  });

  it('SAML: signs in with a signed assertion from the organisation’s IdP', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await startSso(page, slugs.saml);
    await page.waitForURL('**/account', { timeout: 30_000 });
    await page.getByTestId('account-email').waitFor({ state: 'visible' });
    expect(await page.getByTestId('account-email').textContent()).toBe('sam@corp.test');
    expect(saml.requests.at(-1)?.relayState).toBe(slugs.saml);
    await screenshot(page, 'identity-saml-account');
    await page.close();
  });

  it('SAML: still signs in when the IdP drops RelayState (request-id fallback)', async () => {
    const page = await browser.newPage();
    await startSso(page, slugs.samlDrop);
    await page.waitForURL('**/account', { timeout: 30_000 });
    await page.getByTestId('account-email').waitFor({ state: 'visible' });
    expect(await page.getByTestId('account-email').textContent()).toBe('sam@corp.test');
    await page.close();
  });
});
