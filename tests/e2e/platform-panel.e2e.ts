import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectMongo } from '@/server/db/mongo';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents } from '@/server/tenancy/config-events';
import { DEMO_SUPER_ADMIN } from '@/server/services/demo/demo-data';
import { enrolledSuperAdmin, TEST_ADMIN_PASSWORD, totpCode } from '../helpers/super-admin';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/**
 * The operator panel in Chromium: password + TOTP sign-in (codes computed here from the seed the
 * fixture enrolled), first-sign-in enrolment, the provisioning wizard, and the new organisation
 * opened at its own subdomain with its branding and title; then suspension as its users see it.
 */
let browser: Browser;
let ctx: BrowserContext;
const PANEL = 'admin.localhost';
const slug = `e2e${randomBytes(3).toString('hex')}`;
const appName = `Brand ${slug}`;
const PRIMARY = '#7c3aed';

async function noHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

async function shoot(page: Page, name: string) {
  await screenshot(page, `platform-${name}-desktop`);
  const mobile = await ctx.newPage();
  await mobile.setViewportSize({ width: 375, height: 800 });
  await mobile.goto(page.url());
  await mobile.waitForLoadState('networkidle');
  await noHorizontalScroll(mobile);
  await screenshot(mobile, `platform-${name}-mobile`);
  await mobile.close();
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
});

describe('super-admin panel', () => {
  it('walks a first sign-in through authenticator enrolment', async () => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await c.newPage();
    await page.goto(webUrl(PANEL));
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel('Email').fill(DEMO_SUPER_ADMIN.email);
    await page.getByLabel('Password').fill(DEMO_SUPER_ADMIN.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('enrol-step').waitFor();
    await screenshot(page, 'platform-enrol-desktop');
    await page.getByText('Can’t scan?').click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code shown in the app').fill('000000');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toMatch(/does not match/);
    await page.getByLabel('Code shown in the app').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await screenshot(page, 'platform-recovery-codes-desktop');
    await page.getByLabel('I have stored these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    await c.close();
  });

  it('signs in with password and TOTP, provisions through the wizard, and the organisation opens branded', async () => {
    const admin = await enrolledSuperAdmin();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ctx.newPage();
    await page.goto(webUrl(PANEL, '/sign-in'));
    await shoot(page, 'sign-in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toBe('Wrong email or password');
    await page.getByLabel('Password').fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    await screenshot(page, 'platform-totp-desktop');
    await code.fill(await totpCode(admin.secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
    await page.getByTestId('orgs-table').waitFor();
    await shoot(page, 'organisations');

    // The wizard, step by step.
    await page.getByRole('link', { name: 'New organisation' }).first().click();
    await page.getByLabel('Organisation name').fill(`E2E ${slug}`);
    await page.getByLabel('Address (subdomain)').fill(slug);
    await shoot(page, 'wizard');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('App name (browser title)').fill(appName);
    await page.getByLabel('Primary', { exact: true }).fill(PRIMARY);
    await expect
      .poll(() =>
        page
          .getByTestId('brand-preview')
          .locator('div')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor),
      )
      .toBe('rgb(124, 58, 237)');
    await screenshot(page, 'platform-wizard-branding-desktop');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Email and password').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('First admin’s email').fill(`boss@${slug}.test`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('wizard-review').waitFor();
    await page.getByRole('button', { name: 'Provision organisation' }).click();
    await expect
      .poll(() => page.getByTestId('provision-progress').locator('h2').textContent(), { timeout: 20_000 })
      .toBe(`E2E ${slug} is ready`);
    expect(await page.getByTestId('invitation-status').textContent()).toContain(`boss@${slug}.test`);
    await screenshot(page, 'platform-provisioned-desktop');

    // The organisation at its own subdomain: its name, its title, its colour, rendered by the server.
    const tenant = await ctx.newPage();
    const res = await tenant.goto(webUrl(`${slug}.localhost`));
    expect(res?.status()).toBe(200);
    expect(await tenant.title()).toBe(appName);
    expect(await tenant.getByTestId('app-name').textContent()).toBe(appName);
    expect(await tenant.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(124, 58, 237)');
    await screenshot(tenant, 'platform-new-tenant-desktop');

    // Its page in the panel; then suspension, as the organisation's visitors see it.
    await page.getByRole('link', { name: 'Manage organisation' }).click();
    await page.getByTestId('org-status').waitFor();
    await shoot(page, 'organisation');
    page.once('dialog', (d) => void d.accept());
    await page.getByLabel('Reason for suspension (optional)').fill('Unpaid invoice');
    await page.getByRole('button', { name: 'Suspend' }).click();
    await expect.poll(() => page.getByTestId('org-status').textContent()).toBe('suspended');
    await tenant.reload();
    await expect.poll(() => tenant.getByTestId('workspace-unavailable').textContent()).toMatch(/suspended/);
    await screenshot(tenant, 'platform-suspended-tenant-desktop');
    const api = await tenant.evaluate(async () => (await fetch('/api/v1/org/config')).status);
    expect(api).toBe(403);
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await expect.poll(() => page.getByTestId('org-status').textContent()).toBe('active');
    await tenant.reload();
    expect(await tenant.getByTestId('app-name').textContent()).toBe(appName);

    // The audit log shows what was done, filtered to this organisation.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Organisation (slug)').fill(slug);
    await expect.poll(async () => (await page.getByTestId('audit-table').textContent()) ?? '').toContain('org.reactivated');
    const text = (await page.getByTestId('audit-table').textContent()) ?? '';
    for (const action of ['org.provisioned', 'org.suspended']) expect(text).toContain(action);
    await shoot(page, 'audit');

    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
    await shoot(page, 'security');
  });

  it('keeps the panel behind sign-in and off tenant hosts', async () => {
    const c = await browser.newContext();
    const page = await c.newPage();
    await page.goto(webUrl(PANEL, '/audit'));
    await page.waitForURL(/\/sign-in$/);
    const res = await page.goto(webUrl('demo.localhost', '/platform'));
    expect(res?.status()).toBe(404);
    await c.close();
    await ctx?.close();
  });
});
