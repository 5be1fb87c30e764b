import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { webUrl } from '../setup/browser';

/** Signs a demo user in through the real form, which lands in the agent workspace. */
export async function signInToInbox(context: BrowserContext, role: string): Promise<Page> {
  const user = DEMO_USERS.find((u) => u.role === role)!;
  const page = await context.newPage();
  await page.goto(webUrl('demo.localhost', '/sign-in'));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL('**/inbox');
  // The socket is up once the header says so: events after this point must arrive without reloads.
  await expect.poll(() => page.getByTestId('live-state').textContent(), { timeout: 20_000 }).toContain('Live');
  return page;
}

export const row = (page: Page, text: string) =>
  page.getByTestId('conversation-list').getByRole('option').filter({ hasText: text });
