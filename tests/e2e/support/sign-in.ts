import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { webUrl } from '../setup/browser';

/** The seeded demo user with this role (credentials from the demo seed the e2e setup runs). */
export function demoUser(role: string) {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`No demo user with role "${role}"`);
  return user;
}

/**
 * Signs a demo user in through the real form (keyboard submit) in a new page of `context` and waits
 * for the landing page: `next` when given, otherwise the agent workspace where sign-in lands.
 */
export async function signIn(context: BrowserContext, role: string, next?: string): Promise<Page> {
  const user = demoUser(role);
  const page = await context.newPage();
  await page.goto(webUrl('demo.localhost', next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`**${next ?? '/inbox'}`);
  return page;
}
