import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { createInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { startFakeGraph } from '../support/fake-providers/graph';
import type { FakeServer } from '../support/fake-providers/server';
import { META_SECRETS, signMeta, waContact, waStatus, waText, waWebhook } from '../support/inbox-fixtures';
import { launchBrowser, screenshot } from './setup/browser';
import { hostRequest } from './support/host-request';
import { row, signInToInbox } from './support/workspace';

/**
 * WhatsApp end to end against the production web, realtime and worker: a signed Cloud API webhook
 * makes a conversation appear live in the agent's inbox; the agent's reply reaches the fake Graph API
 * as a Cloud API request; a signed status webhook turns the message's tick to "Delivered" live.
 */
let browser: Browser;
let graph: FakeServer;
let publicId: string;
const phoneNumberId = `10${randomBytes(5).readUIntBE(0, 5)}`;

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  graph = await startFakeGraph({
    accessToken: META_SECRETS.accessToken,
    phoneNumberIds: [phoneNumberId],
    port: Number(new URL(process.env.META_GRAPH_BASE_URL!).port),
  });
  publicId = (
    await createInbox('demo', {
      name: `WhatsApp ${phoneNumberId}`,
      provider: 'meta',
      channel: 'whatsapp',
      meta: { ...META_SECRETS, phoneNumberId },
    } as never)
  ).publicId;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await graph?.close();
  await disconnectMongo();
});

async function webhook(body: unknown) {
  const raw = JSON.stringify(body);
  const res = await hostRequest('demo.localhost', `/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    body: raw,
    headers: { 'x-hub-signature-256': signMeta(raw) },
  });
  expect(res.status).toBe(200);
}

it('webhook -> live inbox -> reply through Graph -> delivered tick', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await signInToInbox(context, 'Admin');
  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const name = `Ana ${randomBytes(2).toString('hex')}`;

  await webhook(
    waWebhook(phoneNumberId, { contacts: [waContact(waId, name)], messages: [waText(waId, 'Hello, where is my parcel?')] }),
  );
  const item = row(page, name);
  await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1); // no reload: the socket brought it
  await expect.poll(() => item.textContent()).toContain('Hello, where is my parcel?');

  await item.click();
  await expect.poll(() => page.getByTestId('conversation-title').textContent(), { timeout: 15_000 }).toBe(name);
  await expect.poll(() => page.getByTestId('window-state').textContent()).toContain('Reply window open until');
  const before = graph.requests.length;
  await page.getByLabel('Reply', { exact: true }).fill('It ships today, tracking follows.');
  await page.getByLabel('Reply', { exact: true }).press('Control+Enter');

  await expect.poll(() => graph.requests.length, { timeout: 20_000 }).toBeGreaterThan(before);
  const req = graph.requests.slice(before).find((r) => r.path === `/v21.0/${phoneNumberId}/messages`)!;
  expect(req.headers.authorization).toBe(`Bearer ${META_SECRETS.accessToken}`);
  expect(JSON.parse(req.body)).toEqual({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId,
    type: 'text',
    text: { preview_url: false, body: 'It ships today, tracking follows.' },
  });
  expect(graph.problems).toEqual([]);

  const bubble = page.locator('[data-direction="out"]', { hasText: 'It ships today' });
  await expect.poll(() => bubble.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
  const sent = await tenantModels('demo').ConversationMessage.findOne({ content: 'It ships today, tracking follows.' }).lean();
  await webhook(
    waWebhook(phoneNumberId, { statuses: [waStatus(sent!.providerMessageId!, 'delivered', { recipient_id: waId })] }),
  );
  await expect.poll(() => bubble.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('delivered');
  expect(await bubble.textContent()).toContain('Delivered');

  // Location and media from the customer render live, in words.
  const location = { latitude: 38.7223, longitude: -9.1393, name: 'Harbour Street 1', address: 'Lisbon' };
  const photo = { id: 'media-1', mime_type: 'image/jpeg', sha256: 'x', caption: 'The box was wet' };
  await webhook(
    waWebhook(phoneNumberId, {
      messages: [
        { ...waText(waId, ''), type: 'location', text: undefined, location },
        { ...waText(waId, ''), type: 'image', text: undefined, image: photo },
      ],
    }),
  );
  await expect
    .poll(() => page.locator('[data-direction="in"]', { hasText: 'Map: Harbour Street 1' }).count(), { timeout: 20_000 })
    .toBe(1);
  await expect
    .poll(() => page.locator('[data-direction="in"]', { hasText: 'Attachment: Image' }).textContent(), { timeout: 20_000 })
    .toContain('The box was wet');
  await screenshot(page, 'inbox-whatsapp-desktop');

  // An internal note stays in the workspace: nothing more reaches Graph.
  await page.getByRole('tab', { name: 'Internal note' }).click();
  await page.getByLabel('Internal note').fill('Customer is a VIP, be nice');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => page.locator('[data-direction="note"]').count(), { timeout: 15_000 }).toBe(1);
  const afterNote = graph.requests.length;
  await new Promise((r) => setTimeout(r, 1000));
  expect(graph.requests.length).toBe(afterNote);

  // The agent goes online with their own switch; the admin hands the conversation to them (unless the
  // engine already did) and it appears live in the agent's "Mine", the only view their role has.
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const agentPage = await signInToInbox(agentContext, 'Agent');
  const agentViews = await agentPage.getByRole('navigation', { name: 'Views' }).getByRole('button').allTextContents();
  expect(agentViews.map((v) => v.replace(/\d+$/, ''))).toEqual(['Mine']); // a count badge may follow the name
  await agentPage.getByLabel('Your status').selectOption('online');
  const agentUser = await tenantModels('demo')
    .User.findOne({ email: DEMO_USERS.find((u) => u.role === 'Agent')!.email })
    .lean();
  const agentId = String(agentUser!._id);
  const picker = page.getByLabel('Assigned to');
  await expect.poll(() => picker.locator(`option[value="${agentId}"]`).textContent(), { timeout: 30_000 }).toContain('online');
  await picker.selectOption(agentId);
  await expect.poll(() => row(agentPage, name).count(), { timeout: 20_000 }).toBe(1);
  await row(agentPage, name).click();
  await expect.poll(() => agentPage.getByTestId('assignee').textContent(), { timeout: 15_000 }).toBe('Assigned to you');
  await screenshot(agentPage, 'inbox-whatsapp-agent');
  await agentPage.getByLabel('Your status').selectOption('offline');
  await agentContext.close();

  // Phone width: the list, then the conversation on its own with a way back.
  const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const mobile = await signInToInbox(phone, 'Admin');
  await row(mobile, name).waitFor({ timeout: 15_000 });
  await screenshot(mobile, 'inbox-whatsapp-phone-list');
  await row(mobile, name).focus();
  await mobile.keyboard.press('Enter');
  await mobile.getByTestId('conversation-title').waitFor();
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await screenshot(mobile, 'inbox-whatsapp-phone-conversation');
  await mobile.getByRole('button', { name: 'Back to the list' }).click();
  await row(mobile, name).waitFor();
  await phone.close();
  await context.close();
});
