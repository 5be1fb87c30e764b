import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

/**
 * Debian's Chromium through playwright-core (Playwright's own browser download does not work on
 * our machines). *.localhost resolves to loopback inside Chromium, so tenant subdomains just work.
 */
export const SCREENSHOTS = 'test-results/e2e';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function webUrl(host: string, path = '/'): string {
  return `http://${host}:${inject('e2e').webPort}${path}`;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
