import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, webUrl } from './setup/browser';
import { logContext } from './support/page-log';
import { demoUser, signIn } from './support/sign-in';

/**
 * The tenant admin console in Chromium, as the demo Admin (every page, desktop and phone) and as an
 * Agent (who sees none of it). Pages are driven through their labelled controls, like a user would.
 */
let browser: Browser;
let admin: BrowserContext;
const tag = randomBytes(3).toString('hex');

/** Lists load only once React has hydrated, so a filled list means forms are live (no native submit). */
async function hydrated(page: Page, list: string) {
  await expect
    .poll(() => page.getByTestId(list).locator('li').count(), { timeout: 30_000 })
    .toBeGreaterThan(0)
    .catch(async (err: unknown) => {
      await screenshot(page, `admin-${list}-not-loaded`);
      throw err;
    });
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  logContext(admin, 'admin');
});
afterAll(async () => {
  await browser?.close();
});

describe('admin console (demo Admin)', () => {
  let page: Page;

  it('users: edit skills and capacity of an agent', async () => {
    page = await signIn(admin, 'Admin', '/admin/users');
    const agentRow = page.getByTestId('users-list').locator('li', { hasText: demoUser('Agent').email });
    await agentRow.waitFor();
    await agentRow.getByRole('button', { name: /^Edit / }).click();
    await agentRow.getByLabel('Skills (comma-separated)').fill(`support, e2e-${tag}`);
    await agentRow.getByLabel('Max concurrent conversations').fill('7');
    await agentRow.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => agentRow.textContent(), { timeout: 30_000 }).toContain(`e2e-${tag}`);
    await screenshot(page, 'admin-users-desktop');
  });

  it('teams and branches: create one of each', async () => {
    await page.getByRole('link', { name: 'Teams' }).click();
    await hydrated(page, 'team-list');
    await page.getByLabel('Name').fill(`Night shift ${tag}`);
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => page.getByTestId('team-list').textContent(), { timeout: 30_000 }).toContain(`Night shift ${tag}`);
    await screenshot(page, 'admin-teams-desktop');

    await page.getByRole('link', { name: 'Branches' }).click();
    await hydrated(page, 'branch-list');
    await page.getByLabel('Name').fill(`Harbour ${tag}`);
    await page.getByLabel('Code').fill(`H${tag}`);
    await page.getByRole('button', { name: 'Create branch' }).click();
    await expect
      .poll(() => page.getByTestId('branch-list').textContent(), { timeout: 30_000 })
      .toContain(`Harbour ${tag}`)
      .catch(async (err: unknown) => {
        await screenshot(page, 'admin-branches-failure');
        throw err;
      });
    await screenshot(page, 'admin-branches-desktop');
  });

  it('roles: each role in plain words; a new role is created from the grid', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('button', { name: /^Agent/ }).click();
    await expect
      .poll(() => page.getByTestId('role-summary').textContent(), { timeout: 30_000 })
      .toContain('Read, reply to and update conversations assigned to them');
    await screenshot(page, 'admin-roles-desktop');

    await page.getByRole('button', { name: 'New role' }).click();
    await page.getByLabel('Name').fill(`Auditor ${tag}`);
    await page.getByLabel('Level (0–100)').fill('30');
    await page.locator('#perm-AuditLog-read').selectOption('all');
    await expect.poll(() => page.getByTestId('role-summary').textContent(), { timeout: 30_000 }).toContain('Read the audit log');
    await page.getByRole('button', { name: 'Create role' }).click();
    await expect.poll(() => page.getByTestId('roles-list').textContent(), { timeout: 30_000 }).toContain(`Auditor ${tag}`);
  });

  it('audit log: the changes above, filtered by action', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action (e.g. user. or role.updated)').fill('team.');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('audit-entries').textContent(), { timeout: 30_000 })
      .toContain('team.created')
      .catch(async (err: unknown) => {
        await screenshot(page, 'admin-audit-failure');
        throw err;
      });
    expect((await page.getByTestId('audit-action').allTextContents()).every((a) => a.startsWith('team.'))).toBe(true);
    await page.getByLabel('Action (e.g. user. or role.updated)').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('audit-entries').textContent(), { timeout: 30_000 }).toContain('role.created');
    await screenshot(page, 'admin-audit-desktop');
  });

  it('every page lays out on a phone', async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      storageState: await admin.storageState(),
    });
    const p = await phone.newPage();
    for (const section of ['users', 'teams', 'branches', 'roles', 'audit']) {
      await p.goto(webUrl('demo.localhost', `/admin/${section}`));
      await p.getByRole('heading', { level: 1 }).waitFor();
      await p.waitForLoadState('networkidle');
      expect(await noHorizontalScroll(p), section).toBeLessThanOrEqual(0);
      await screenshot(p, `admin-${section}-mobile`);
    }
    await phone.close();
  });
});

describe('admin console entry (/admin)', () => {
  it('opens the first section the user may use, and the workspace for someone with none', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ops = await signIn(context, 'Operations');
    await ops.goto(webUrl('demo.localhost', '/admin'));
    await ops.getByRole('navigation', { name: 'Admin' }).locator('a[aria-current=page]').waitFor();
    const current = await ops.getByRole('navigation', { name: 'Admin' }).locator('a[aria-current=page]').getAttribute('href');
    expect(new URL(ops.url()).pathname).toBe(current);
    expect(await ops.getByTestId('not-allowed').count()).toBe(0);
    await context.close();

    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const agent = await signIn(agentContext, 'Agent');
    await agent.goto(webUrl('demo.localhost', '/admin'));
    await agent.waitForURL('**/inbox');
    await agentContext.close();
  });
});

describe('admin console (demo Agent)', () => {
  it('shows no admin sections and says why', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signIn(context, 'Agent', '/admin/users');
    await page.getByTestId('not-allowed').waitFor();
    expect(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link').count()).toBe(0);
    await screenshot(page, 'admin-agent-denied');
    await context.close();
  });
});
