import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/** The health page and endpoint of the built app, with realtime and worker running beside it. */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('health', () => {
  it('GET /api/health answers 200 with every part healthy', async () => {
    const res = await fetch(webUrl('127.0.0.1', '/api/health'));
    const body = (await res.json()) as { status: string; failing: string[] };
    expect(body.failing).toEqual([]);
    expect(res.status).toBe(200);
  });

  it('the health page shows every part operational', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    const res = await page.goto(webUrl('localhost', '/health'));
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByTestId('health-overall').getAttribute('data-status')).toBe('ok');
    for (const part of ['mongo', 'redis', 'queues', 'realtime', 'worker']) {
      expect(await page.getByTestId(`health-${part}`).getAttribute('data-ok')).toBe('true');
    }
    await screenshot(page, 'health-desktop');
    await page.setViewportSize({ width: 375, height: 700 });
    await screenshot(page, 'health-mobile');
    await page.close();
  });
});
