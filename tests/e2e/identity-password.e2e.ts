import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/** Password sign-in on the demo organisation, in Chromium: the form, the error, the session, sign-out. */
let browser: Browser;
const admin = DEMO_USERS.find((u) => u.role === 'Admin')!;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('password sign-in (demo organisation)', () => {
  it('refuses a wrong password in words, then signs in and out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(webUrl('demo.localhost', '/sign-in'));
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('form-error').textContent()).toBe('Incorrect email or password.');
    await screenshot(page, 'identity-sign-in-error');

    await page.getByLabel('Password').fill(admin.password);
    await page.getByLabel('Password').press('Enter'); // keyboard works as well as the button
    await page.waitForURL('**/inbox'); // sign-in lands in the agent workspace
    await page.goto(webUrl('demo.localhost', '/account'));
    await page.waitForURL('**/account');
    await page.getByTestId('signed-in-as').waitFor({ state: 'visible' });
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(`Signed in as ${admin.displayName}`);
    expect(await page.getByTestId('account-role').textContent()).toBe('Admin');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'cop_session')!;
    expect(session).toMatchObject({ httpOnly: true, domain: 'demo.localhost' });
    await screenshot(page, 'identity-account');

    // The 15-minute access cookie gone (expired): the page rotates the refresh token and comes back.
    const before = (await page.context().cookies()).find((c) => c.name === 'cop_refresh')!.value;
    await page.context().clearCookies({ name: 'cop_session' });
    await page.goto(webUrl('demo.localhost', '/account'));
    await page.waitForURL('**/account');
    await page.getByTestId('signed-in-as').waitFor({ state: 'visible' });
    const after = (await page.context().cookies()).find((c) => c.name === 'cop_refresh')!.value;
    expect(after).not.toBe(before);

    // The socket token route now mints for this user.
    const status = await page.evaluate(async () => (await fetch('/api/realtime/token', { method: 'POST' })).status);
    expect(status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto(webUrl('demo.localhost', '/account'));
    await page.waitForURL('**/sign-in?next=%2Faccount');
    await page.close();
  });

  it('lays out the sign-in page on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true });
    await page.goto(webUrl('demo.localhost', '/sign-in'));
    await expect.poll(() => page.getByLabel('Email').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'identity-sign-in-mobile');
    await page.close();
  });
});
