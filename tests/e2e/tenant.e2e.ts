import { MongoClient } from 'mongodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/** The demo organisation opens at its subdomain with its own name, colours and title. */
let browser: Browser;
let demo: { appName: string; primary: string | undefined; name: string };

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

beforeAll(async () => {
  const client = await MongoClient.connect(process.env.MONGO_URI!);
  try {
    const org = await client.db(process.env.PLATFORM_DB_NAME ?? 'platform_db').collection('organizations').findOne({ slug: 'demo' });
    if (!org) throw new Error('the demo seed did not create the demo organisation');
    demo = { appName: org.branding.appName, primary: org.branding.colors?.primary, name: org.name };
  } finally {
    await client.close();
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('tenant host', () => {
  it('opens the demo organisation with its branding', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const res = await page.goto(webUrl('demo.localhost'));
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByTestId('app-name').textContent()).toBe(demo.appName);
    expect(await page.title()).toBe(demo.appName);
    if (demo.primary) {
      // The header is painted with the organisation's primary colour, rendered on the server.
      const bg = await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).toBe(hexToRgb(demo.primary));
    }
    await screenshot(page, 'tenant-demo-desktop');
    await page.close();
  });

  it('lays out on a phone without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true });
    await page.goto(webUrl('demo.localhost'));
    await expect.poll(() => page.getByTestId('welcome').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'tenant-demo-mobile');
    await page.close();
  });

  it('says "no such workspace" with a 404 for an unknown subdomain', async () => {
    const page = await browser.newPage();
    const res = await page.goto(webUrl('no-such-org-e2e.localhost'));
    expect(res?.status()).toBe(404);
    await expect.poll(() => page.getByTestId('not-found').textContent()).toMatch(/No such workspace/);
    await screenshot(page, 'unknown-workspace');
    await page.close();
  });
});
