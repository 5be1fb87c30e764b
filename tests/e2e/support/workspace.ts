import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { signIn } from './sign-in';

/** Signs a demo user in through the real form, which lands in the agent workspace. */
export async function signInToInbox(context: BrowserContext, role: string): Promise<Page> {
  const page = await signIn(context, role);
  // The socket is up once the header says so: events after this point must arrive without reloads.
  await expect.poll(() => page.getByTestId('live-state').textContent(), { timeout: 20_000 }).toContain('Live');
  return page;
}

export const row = (page: Page, text: string) =>
  page.getByTestId('conversation-list').getByRole('option').filter({ hasText: text });
