import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { closeRedis } from '@/server/redis';
import { closeConfigEvents } from '@/server/tenancy/config-events';
import { tenantModels } from '@/server/tenancy/connections';
import { createOneTimeToken } from '@/server/services/identity/one-time-tokens';
import { randomSlug } from '../helpers/orgs';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/**
 * The pages behind the links sent by mail, in Chromium on the demo organisation: accepting an
 * invitation (then the link is spent) and choosing a new password after a reset.
 */
let browser: Browser;
const demo = 'demo.localhost';

beforeAll(async () => {
  await connectMongo();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
});

describe('links sent by mail', () => {
  it('an invitation sets the password, signs in, and cannot be used twice', async () => {
    const email = `${randomSlug('inv')}@demo.test`;
    const user = await tenantModels('demo').User.create({ email, displayName: email, role: 'Agent', status: 'invited' });
    const token = await createOneTimeToken('demo', 'invite', user._id);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(webUrl(demo, `/invite/${token}`));
    await page.getByLabel('Your name').fill('Ivy Invited');
    await page.getByLabel('New password').fill('Ivy-password-2026');
    await page.getByLabel('Repeat the password').fill('Ivy-password-2027');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toBe('The two passwords do not match.');
    await screenshot(page, 'identity-invite');
    await page.getByLabel('Repeat the password').fill('Ivy-password-2026');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/account');
    await page.getByTestId('signed-in-as').waitFor({ state: 'visible' });
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Signed in as Ivy Invited');
    await page.goto(webUrl(demo, `/invite/${token}`));
    await page.getByTestId('link-invalid').waitFor({ state: 'visible' });
    await screenshot(page, 'identity-invite-spent');
    await page.close();
  });

  it('a reset link sets a new password that then signs in', async () => {
    const email = `${randomSlug('rst')}@demo.test`;
    const user = await tenantModels('demo').User.create({ email, displayName: 'Rita Reset', role: 'Agent', status: 'active' });
    const token = await createOneTimeToken('demo', 'reset', user._id);
    const page = await browser.newPage({ viewport: { width: 390, height: 800 }, isMobile: true });
    await page.goto(webUrl(demo, `/reset/${token}`));
    await page.getByLabel('New password').fill('Rita-password-2026');
    await page.getByLabel('Repeat the password').fill('Rita-password-2026');
    await screenshot(page, 'identity-reset-mobile');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForURL('**/sign-in?reset=1');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Rita-password-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/inbox'); // sign-in lands in the agent workspace
    await page.close();
  });
});
