import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { demoWhatsAppInbox, startDemoGraph } from './support/whatsapp-inbox';
import { tenantModels } from '@/server/tenancy/connections';
import type { FakeServer } from '../support/fake-providers/server';
import { signMeta, waContact, waText, waWebhook } from '../support/inbox-fixtures';
import { launchBrowser, screenshot, webUrl } from './setup/browser';
import { hostRequest } from './support/host-request';
import { logContext } from './support/page-log';
import { row, signInToInbox } from './support/workspace';

/**
 * Templates and canned responses from the admin console to the composer, in Chromium against the
 * production build: the demo Admin creates a template (live preview, approval recorded) and a canned
 * response (a bad shortcut refused in words); the Agent, in a conversation whose 24-hour window has
 * closed, is offered the template, fills its variables and it reaches the fake Graph API as a Cloud
 * API template message; once the customer writes again, `/` completes the canned response into a reply.
 * The workspace is then checked at phone, tablet, laptop and desktop widths.
 */
let browser: Browser;
let graph: FakeServer;
let publicId: string;
const tag = randomBytes(3).toString('hex');
const phoneNumberId = `10${randomBytes(5).readUIntBE(0, 5)}`;
const creds = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  graph = await startDemoGraph(phoneNumberId);
  publicId = await demoWhatsAppInbox(`WhatsApp ${tag}`, phoneNumberId);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await graph?.close();
  await disconnectMongo();
});

async function signIn(context: BrowserContext, role: string, next: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(webUrl('demo.localhost', `/sign-in?next=${encodeURIComponent(next)}`));
  await page.getByLabel('Email').fill(creds(role).email);
  await page.getByLabel('Password').fill(creds(role).password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`**${next}`);
  return page;
}

async function webhook(body: unknown) {
  const raw = JSON.stringify(body);
  const res = await hostRequest('demo.localhost', `/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    body: raw,
    headers: { 'x-hub-signature-256': signMeta(raw) },
  });
  expect(res.status).toBe(200);
}

it('admin creates a template and a canned response; the agent sends both from the composer', async () => {
  const admin = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  logContext(admin, 'admin');
  const page = await signIn(admin, 'Admin', '/admin/templates');
  const name = `pickup_ready_${tag}`;

  // --- the template, through the page
  await page
    .getByText(/No templates yet|Templates are reviewed by Meta/)
    .first()
    .waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId('not-allowed').count()).toBe(0);
  await page.getByRole('button', { name: 'New template' }).click();
  const form = page.getByRole('form', { name: 'New template' });
  await form.waitFor();
  await form.getByLabel('Name (lowercase, digits, underscores)').fill(name);
  await form.getByLabel('Body (variables are {{1}}, {{2}}…)').fill('{{1}}, your order is ready');
  await expect
    .poll(() => form.getByRole('alert').allTextContents())
    .toEqual(['A template cannot start or end with a variable (Meta refuses it): add words around it']);
  await form.getByLabel('Body (variables are {{1}}, {{2}}…)').fill('Hi {{1}}, order {{2}} is ready for pickup until 6 pm.');
  await form.getByLabel('What {{1}} is (for agents)').fill('customer name');
  await form.getByLabel('Example for {{1}}').fill('Ana');
  await form.getByLabel('What {{2}} is (for agents)').fill('order number');
  await form.getByLabel('Example for {{2}}').fill('#1042');
  expect(await form.getByTestId('template-preview').textContent()).toBe('Hi Ana, order #1042 is ready for pickup until 6 pm.');
  await form.getByLabel('Approval status at Meta (recorded by hand)').selectOption('approved');
  await screenshot(page, 'admin-templates-form-1440');
  await form.getByRole('button', { name: 'Save template' }).click();
  const listed = page.locator(`[data-template="${name}"]`);
  await expect.poll(() => listed.getByTestId('template-status').textContent(), { timeout: 20_000 }).toBe('approved');
  expect(await page.getByRole('status').textContent()).toBe('Template created.');
  // Edit in place: the form opens with the stored values.
  await listed.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('form', { name: `Edit template ${name}` });
  expect(await edit.getByLabel('Example for {{2}}').inputValue()).toBe('#1042');
  await edit.getByLabel('Body (variables are {{1}}, {{2}}…)').fill('Hi {{1}}, order {{2}} is ready for pickup until 7 pm.');
  await edit.getByRole('button', { name: 'Save template' }).click();
  await expect.poll(() => listed.textContent(), { timeout: 20_000 }).toContain('until 7 pm.');
  expect(await page.getByRole('status').textContent()).toBe('Template saved.');
  await screenshot(page, 'admin-templates-list-1440');

  // --- the canned response, through its page
  await page.goto(webUrl('demo.localhost', '/admin/canned'));
  const add = page.getByRole('form', { name: 'Add response' });
  await page
    .getByText(/No canned responses yet|Agents insert them/)
    .first()
    .waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByText('Loading canned responses…').count(), { timeout: 30_000 }).toBe(0);
  await add.getByLabel('Shortcut (agents type /shortcut)').fill('pickup hours!');
  await add.getByLabel('Text').fill('Our pickup desk is open 9:00-18:00, Monday to Saturday.');
  await add.getByRole('button', { name: 'Add response' }).click();
  await expect
    .poll(() => add.getByRole('alert').allTextContents())
    .toEqual(['The shortcut uses lowercase letters, digits and dashes, up to 30']);
  const shortcut = `pickup-${tag}`;
  await add.getByLabel('Shortcut (agents type /shortcut)').fill(shortcut);
  await add.getByRole('button', { name: 'Add response' }).click();
  await expect.poll(() => page.getByTestId('canned-saved').textContent(), { timeout: 20_000 }).toBe(`Saved: /${shortcut} added.`);
  expect(await page.getByTestId('canned-list').textContent()).toContain(`/${shortcut}`);
  await screenshot(page, 'admin-canned-1440');
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-canned-375');
  await page.goto(webUrl('demo.localhost', '/admin/templates'));
  await listed.waitFor({ timeout: 30_000 });
  expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-templates-375');
  await page.getByRole('button', { name: 'New template' }).click();
  await page
    .getByRole('form', { name: 'New template' })
    .getByLabel('Body (variables are {{1}}, {{2}}…)')
    .fill('Hello {{1}}, see you soon.');
  expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-templates-form-375');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // --- a customer who last wrote 25 hours ago, assigned to the Agent
  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const customer = `Bea ${tag}`;
  const old = { ...waText(waId, 'Is my order ready?'), timestamp: String(Math.floor(Date.now() / 1000) - 25 * 3600) };
  await webhook(waWebhook(phoneNumberId, { contacts: [waContact(waId, customer)], messages: [old] }));
  const m = tenantModels('demo');
  let conversationId = '';
  await expect
    .poll(
      async () => {
        const c = await m.Customer.findOne({ name: customer }).lean();
        const conv = c && (await m.Conversation.findOne({ customerId: c._id }).lean());
        return (conversationId = conv ? String(conv._id) : '');
      },
      { timeout: 20_000 },
    )
    .not.toBe('');
  const agentUser = await m.User.findOne({ email: creds('Agent').email }).lean();
  await m.Conversation.updateOne({ _id: conversationId }, { $set: { assigneeId: agentUser!._id } });

  const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  logContext(agentContext, 'agent');
  const agent = await signInToInbox(agentContext, 'Agent');
  await row(agent, customer).waitFor({ timeout: 20_000 });
  await row(agent, customer).click();
  await expect.poll(() => agent.getByTestId('window-state').textContent(), { timeout: 15_000 }).toContain('window is closed');

  // Only approved templates are offered; the variables are filled, the preview follows.
  const picker = agent.getByRole('combobox', { name: 'Template', exact: true });
  await picker
    .locator(`option`, { hasText: name })
    .waitFor({ state: 'attached', timeout: 15_000 })
    .catch(async (err: unknown) => {
      await screenshot(agent, 'inbox-template-picker-failed');
      throw err;
    });
  await picker.selectOption({ label: `${name} (en)` });
  await agent.getByLabel('{{1}} customer name').fill('Bea');
  await agent.getByRole('button', { name: 'Send template' }).click(); // {{2}} empty: the browser holds it back
  expect(graph.requests.filter((r) => r.body.includes(name))).toHaveLength(0);
  await agent.getByLabel('{{2}} order number').fill('#2077');
  expect(await agent.getByText('Hi Bea, order #2077 is ready for pickup until 7 pm.').count()).toBe(1);
  const before = graph.requests.length;
  await agent.getByRole('button', { name: 'Send template' }).click();
  await expect.poll(() => graph.requests.length, { timeout: 20_000 }).toBeGreaterThan(before);
  const sent = JSON.parse(graph.requests.slice(before).find((r) => r.path === `/v21.0/${phoneNumberId}/messages`)!.body);
  expect(sent).toMatchObject({
    to: waId,
    type: 'template',
    template: {
      name,
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Bea' },
            { type: 'text', text: '#2077' },
          ],
        },
      ],
    },
  });
  await agent.locator('[data-direction="out"]', { hasText: 'Hi Bea, order #2077' }).waitFor({ timeout: 15_000 });
  await screenshot(agent, 'inbox-template-sent-1440');

  // The customer answers: the window opens live, and `/` completes the canned response.
  await webhook(waWebhook(phoneNumberId, { messages: [waText(waId, 'When can I come?')] }));
  await expect
    .poll(() => agent.getByTestId('window-state').textContent(), { timeout: 20_000 })
    .toContain('Reply window open until');
  const reply = agent.getByRole('combobox', { name: 'Reply', exact: true });
  await reply.click();
  await reply.pressSequentially(`/pickup-${tag.slice(0, 2)}`);
  const completion = agent.getByTestId('canned-completion');
  await completion.waitFor();
  expect(await completion.getByRole('option').first().textContent()).toContain(`/${shortcut}`);
  await screenshot(agent, 'inbox-canned-completion-1440');
  await reply.press('Enter');
  expect(await reply.inputValue()).toBe('Our pickup desk is open 9:00-18:00, Monday to Saturday.');
  const beforeText = graph.requests.length;
  await reply.press('Control+Enter');
  await expect.poll(() => graph.requests.length, { timeout: 20_000 }).toBeGreaterThan(beforeText);
  expect(JSON.parse(graph.requests[beforeText]!.body).text).toEqual({
    preview_url: false,
    body: 'Our pickup desk is open 9:00-18:00, Monday to Saturday.',
  });
  expect(graph.problems).toEqual([]);
  await agent.locator('[data-direction="out"]', { hasText: 'Our pickup desk is open' }).waitFor({ timeout: 20_000 });

  // --- the workspace at phone, tablet, laptop and desktop widths
  for (const width of [375, 768, 1024, 1440]) {
    await agent.setViewportSize({ width, height: width < 768 ? 812 : 900 });
    await agent.getByTestId('conversation-title').waitFor();
    await screenshot(agent, `inbox-conversation-${width}`);
    const overflowing = await agent.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getBoundingClientRect().width > 0)
        .slice(0, 5)
        .map((el) => `${el.tagName}.${el.className}`.slice(0, 120)),
    );
    expect(overflowing, `width ${width}`).toEqual([]);
    expect(await noHorizontalScroll(agent), `width ${width}`).toBeLessThanOrEqual(0);
    const panel = agent.getByTestId('customer-panel');
    if (width < 1280) {
      expect(await panel.isVisible(), `panel hidden at ${width}`).toBe(false);
      await agent.getByRole('button', { name: 'Customer', exact: true }).click();
      await expect.poll(() => panel.isVisible()).toBe(true);
      await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe('customer-panel');
      await screenshot(agent, `inbox-customer-drawer-${width}`);
      await agent.keyboard.press('Escape');
      await expect.poll(() => panel.isVisible()).toBe(false);
      expect(await agent.evaluate(() => document.activeElement?.textContent)).toBe('Customer');
    } else {
      expect(await panel.isVisible()).toBe(true);
    }
  }
  // Phone: the conversation alone, with a way back to the list.
  await agent.setViewportSize({ width: 375, height: 812 });
  await agent.getByRole('button', { name: 'Back to the list' }).click();
  await row(agent, customer).waitFor();
  await screenshot(agent, 'inbox-list-375');
  await agentContext.close();

  // Deleting asks first; afterwards the template is gone from the list.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(webUrl('demo.localhost', '/admin/templates'));
  await listed.waitFor({ timeout: 30_000 });
  page.once('dialog', (d) => void d.accept());
  await listed.getByRole('button', { name: `Delete ${name}` }).click();
  await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(0);
  expect(await m.Template.countDocuments({ name })).toBe(0);
  await admin.close();
});
