import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { tenantModels } from '@/server/tenancy/connections';
import { signMeta, waContact, waText, waWebhook } from '../support/inbox-fixtures';
import { launchBrowser, screenshot, webUrl } from './setup/browser';
import { hostRequest } from './support/host-request';

/**
 * The inbox admin page in Chromium: the demo Admin connects a WhatsApp number through the form, and
 * a webhook signed with the app secret they typed, sent to the URL the page shows, is accepted;
 * disabling it on the page makes the same URL refuse. Desktop and phone widths.
 */
let browser: Browser;
const tag = randomBytes(3).toString('hex');
const creds = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const appSecret = `e2e-app-secret-${tag}`;
const phoneNumberId = `10${randomBytes(4).readUInt32BE(0)}`;

async function signIn(context: BrowserContext, role: string, next: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept()); // "Disable …?" confirmations
  await page.goto(webUrl('demo.localhost', `/sign-in?next=${encodeURIComponent(next)}`));
  await page.getByLabel('Email').fill(creds(role).email);
  await page.getByLabel('Password').fill(creds(role).password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`**${next}`);
  return page;
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  await connectMongo();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await disconnectMongo();
});

it('an admin connects WhatsApp on the page; a signed webhook to the shown URL is accepted, and refused once disabled', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, 'Admin', '/admin/inboxes');
  await expect.poll(() => page.getByRole('navigation', { name: 'Admin' }).textContent(), { timeout: 30_000 }).toContain('Inboxes');
  // "New inbox" appears once the page has hydrated and the ability allows it.
  await page.getByRole('button', { name: 'New inbox' }).click({ timeout: 30_000 });
  const form = page.getByTestId('create-inbox-form');
  await form.getByLabel('WhatsApp (Cloud API)').check();
  await form.getByLabel('Name').fill(`WhatsApp ${tag}`);
  await form.getByLabel('Phone number id').fill(phoneNumberId);
  await form.getByLabel('App secret').fill(appSecret);
  await form.getByLabel('Access token').fill(`EAAG-e2e-token-${tag}`);
  const verifyToken = await form.getByLabel('Verify token').inputValue(); // generated for the admin
  expect(verifyToken.length).toBeGreaterThanOrEqual(8);
  await screenshot(page, 'admin-inboxes-create-desktop');
  await form.getByRole('button', { name: 'Create inbox' }).click();

  const card = page.getByTestId('inbox-item').filter({ hasText: `WhatsApp ${tag}` });
  await card.waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('new-verify-token').getByLabel('Verify token').inputValue()).toBe(verifyToken);
  const shown = await card.getByTestId('webhook-url').inputValue();
  expect(shown).toMatch(new RegExp(`^http://demo\\.localhost:\\d+/api/webhooks/meta/ibx_[0-9a-f]{24}$`));
  expect(await card.textContent()).not.toContain(appSecret);
  expect(await card.getByTestId('verify-hint').textContent()).toContain('verify token');
  await screenshot(page, 'admin-inboxes-desktop');

  const path = new URL(shown).pathname;
  // Meta's GET handshake with the verify token the page gave us.
  const hs = await hostRequest('demo.localhost', `${path}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=31337`);
  expect(hs).toEqual({ status: 200, body: '31337' });
  const raw = JSON.stringify(waWebhook(phoneNumberId, { contacts: [waContact('15557770000', 'Page Test')], messages: [waText('15557770000', `hello ${tag}`)] }));
  const post = (signature: string) => hostRequest('demo.localhost', path, { method: 'POST', body: raw, headers: { 'x-hub-signature-256': signature } });
  expect((await post(signMeta(raw, 'some-other-secret'))).status).toBe(401);
  expect((await post(signMeta(raw, appSecret))).status).toBe(200);

  await card.getByRole('button', { name: 'Disable' }).click();
  await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('disabled');
  expect((await post(signMeta(raw, appSecret))).status).toBe(404);
  await card.getByRole('button', { name: 'Enable' }).click();
  await expect.poll(() => card.getByRole('button', { name: 'Disable' }).count(), { timeout: 30_000 }).toBe(1);
  expect((await post(signMeta(raw, appSecret))).status).toBe(200);

  // Replace the app secret on the page: the old signature is refused from then on.
  await card.getByRole('button', { name: 'Replace a secret' }).click();
  await card.getByLabel('Secret', { exact: true }).selectOption('appSecret');
  await card.getByLabel('New app secret').fill(`${appSecret}-rotated`);
  await screenshot(page, 'admin-inboxes-rotate-desktop');
  await card.getByRole('button', { name: 'Replace secret' }).click();
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'replaced' }).count(), { timeout: 30_000 }).toBe(1);
  expect((await post(signMeta(raw, appSecret))).status).toBe(401);
  expect((await post(signMeta(raw, `${appSecret}-rotated`))).status).toBe(200);

  // Once the worker has made a conversation of it, the inbox can only be disabled, and the page says so.
  const inboxId = (await card.locator('code').textContent()) ?? '';
  await expect.poll(() => tenantModels('demo').Conversation.countDocuments({ inboxId }), { timeout: 30_000 }).toBeGreaterThan(0);
  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alert').filter({ hasText: 'disable it instead' }).waitFor({ timeout: 30_000 });
  expect(await card.count()).toBe(1);

  // Phone width: everything reachable without sideways scrolling.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const mobile = await signIn(phone, 'Admin', '/admin/inboxes');
  await mobile.getByTestId('inbox-item').filter({ hasText: `WhatsApp ${tag}` }).waitFor({ timeout: 30_000 });
  expect(await noHorizontalScroll(mobile)).toBeLessThanOrEqual(0);
  await screenshot(mobile, 'admin-inboxes-mobile');
  await mobile.getByRole('button', { name: 'New inbox' }).click();
  await mobile.getByTestId('create-inbox-form').getByLabel('Web chat').check();
  expect(await noHorizontalScroll(mobile)).toBeLessThanOrEqual(0);
  await screenshot(mobile, 'admin-inboxes-create-mobile');
  await phone.close();
  await context.close();
});

it('web chat gives an embed snippet that works from the allowed site; a wrong Twilio number is explained at its field', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, 'Admin', '/admin/inboxes');
  await page.getByRole('button', { name: 'New inbox' }).click({ timeout: 30_000 });
  const form = page.getByTestId('create-inbox-form');
  await form.getByLabel('Web chat').check();
  await form.getByLabel('Name').fill(`Site chat ${tag}`);
  await form.getByLabel('Websites allowed to embed it').fill('https://shop.example.com');
  await form.getByLabel('Greeting').fill(`Welcome ${tag}`);
  await form.getByRole('button', { name: 'Create inbox' }).click();
  const card = page.getByTestId('inbox-item').filter({ hasText: `Site chat ${tag}` });
  await card.waitFor({ timeout: 30_000 });
  const snippet = await card.getByTestId('embed-snippet').inputValue();
  const publicId = /data-inbox="(ibx_[0-9a-f]{24})"/.exec(snippet)?.[1];
  expect(snippet).toContain(`src="${webUrl('demo.localhost', '/widget.js')}"`);
  expect(publicId).toBeTruthy();
  const session = (origin: string) =>
    hostRequest('demo.localhost', `/api/webhooks/webchat/${publicId}/session`, { method: 'POST', body: '{}', headers: { origin } });
  const ok = await session('https://shop.example.com');
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toMatchObject({ greeting: `Welcome ${tag}` });
  expect((await session('https://elsewhere.example.com')).status).toBe(403);

  // Rename through Edit.
  await card.getByRole('button', { name: 'Edit' }).click();
  await card.getByLabel('Name').fill(`Site chat ${tag} renamed`);
  await card.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('inbox-item').filter({ hasText: `Site chat ${tag} renamed` }).waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: 'New inbox' }).click();
  await form.getByLabel('SMS (Twilio)').check();
  await form.getByLabel('Name').fill(`SMS ${tag}`);
  await form.getByLabel('Account SID').fill(`AC${'0f'.repeat(16)}`);
  await form.getByLabel('Auth token').fill('twilio-auth-token-0123456789');
  await form.getByLabel('From number').fill('555-1234');
  await form.getByRole('button', { name: 'Create inbox' }).click();
  await form.getByText('Use E.164').waitFor({ timeout: 30_000 });
  expect(await form.getByLabel('From number').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'admin-inboxes-field-error-desktop');
  await form.getByLabel('From number').fill('+15550009999');
  await form.getByRole('button', { name: 'Create inbox' }).click();
  const sms = page.getByTestId('inbox-item').filter({ hasText: `SMS ${tag}` });
  await sms.waitFor({ timeout: 30_000 });
  expect(await sms.getByTestId('webhook-url').inputValue()).toMatch(/\/api\/webhooks\/twilio\/ibx_[0-9a-f]{24}$/);
  await screenshot(page, 'admin-inboxes-all-desktop');
  // Nothing came in through it yet: it can be deleted, and its URL is unknown from then on.
  const smsPath = new URL(await sms.getByTestId('webhook-url').inputValue()).pathname;
  await sms.getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => sms.count(), { timeout: 30_000 }).toBe(0);
  expect((await hostRequest('demo.localhost', smsPath, { method: 'POST', body: 'Body=hi' })).status).toBe(404);
  await context.close();
});

it('an agent sees neither the link nor the page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await signIn(context, 'Agent', '/admin/inboxes');
  await page.getByTestId('not-allowed').waitFor({ timeout: 30_000 });
  expect(await page.getByRole('navigation', { name: 'Admin' }).textContent()).not.toContain('Inboxes');
  await context.close();
});
