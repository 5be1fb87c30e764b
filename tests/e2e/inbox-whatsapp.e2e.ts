import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { setAssignmentConfig } from '@/server/services/assignment/config';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { demoWhatsAppInbox, startDemoGraph } from './support/whatsapp-inbox';
import { presenceOf } from '@/server/services/presence/presence';
import { closeRedis } from '@/server/redis';
import { tenantModels } from '@/server/tenancy/connections';
import type { FakeServer } from '../support/fake-providers/server';
import { META_SECRETS, signMeta, waContact, waStatus, waText, waWebhook } from '../support/inbox-fixtures';
import { launchBrowser, screenshot } from './setup/browser';
import { hostRequest } from './support/host-request';
import { row, signInToInbox } from './support/workspace';

/**
 * WhatsApp end to end against the production web, realtime and worker: the agent switches themselves
 * online; a signed Cloud API webhook makes a conversation appear live in that agent's inbox, routed
 * there by the assignment engine (nobody assigns it by hand); a reply reaches the fake Graph API as a
 * Cloud API request; a signed status webhook turns the message's tick to "Delivered" live. Then the
 * engine moves work live: the agent goes offline (the conversation goes back to the queue), comes
 * back (it is routed to them again), and leaves a new conversation unanswered past the configured
 * time (it moves on).
 */
let browser: Browser;
let graph: FakeServer;
let publicId: string;
const phoneNumberId = `10${randomBytes(5).readUIntBE(0, 5)}`;

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  graph = await startDemoGraph(phoneNumberId);
  publicId = await demoWhatsAppInbox(`WhatsApp ${phoneNumberId}`, phoneNumberId);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await graph?.close();
  await closeRedis();
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

const agentUser = DEMO_USERS.find((u) => u.role === 'Agent')!;
const admin = { id: 'e2e', email: 'e2e@example.test' };

it('webhook -> routed live to the online agent -> reply through Graph -> delivered tick; offline and no-answer move it', async () => {
  const { User, EventLog } = tenantModels('demo');
  // Room for this test whatever earlier test files left waiting in the queue for this agent.
  await User.updateOne({ email: agentUser.email }, { $set: { maxConcurrent: 100 } });
  const agentId = String((await User.findOne({ email: agentUser.email }).lean())!._id);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await signInToInbox(context, 'Admin');
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const agentPage = await signInToInbox(agentContext, 'Agent');
  const agentViews = await agentPage.getByRole('navigation', { name: 'Views' }).getByRole('button').allTextContents();
  expect(agentViews.map((v) => v.replace(/\d+$/, ''))).toEqual(['Mine']); // a count badge may follow the name
  // The agent's own switch: from here the engine may give them work.
  await agentPage.getByLabel('Your status').selectOption('online');
  await expect.poll(() => presenceOf(agentId), { timeout: 15_000 }).toBe('online');

  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const name = `Ana ${randomBytes(2).toString('hex')}`;
  await webhook(
    waWebhook(phoneNumberId, { contacts: [waContact(waId, name)], messages: [waText(waId, 'Hello, where is my parcel?')] }),
  );
  // Routed automatically: it appears in the agent's "Mine", live, with nobody assigning it by hand.
  const mine = row(agentPage, name);
  await expect.poll(() => mine.count(), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => mine.textContent()).toContain('Hello, where is my parcel?');
  await mine.click();
  await expect.poll(() => agentPage.getByTestId('assignee').textContent(), { timeout: 15_000 }).toBe('Assigned to you');
  const routed = await EventLog.findOne({ type: 'conversation.assigned', 'data.agentId': agentId }).sort({ at: -1 }).lean();
  expect(routed?.data).toMatchObject({ reason: 'queue' }); // the engine, not a person
  await screenshot(agentPage, 'inbox-whatsapp-agent');

  // The admin sees it live too, assigned to the agent.
  const item = row(page, name);
  await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1); // no reload: the socket brought it
  await item.click();
  await expect.poll(() => page.getByTestId('conversation-title').textContent(), { timeout: 15_000 }).toBe(name);
  const picker = page.getByLabel('Assigned to');
  await expect.poll(() => picker.inputValue(), { timeout: 15_000 }).toBe(agentId);
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

  // A location from the customer renders live, in words. (Photos are downloaded from Graph by the
  // worker: inbox-media.e2e.ts covers them against a fake media server.)
  const location = { latitude: 38.7223, longitude: -9.1393, name: 'Harbour Street 1', address: 'Lisbon' };
  await webhook(waWebhook(phoneNumberId, { messages: [{ ...waText(waId, ''), type: 'location', text: undefined, location }] }));
  await expect
    .poll(() => page.locator('[data-direction="in"]', { hasText: 'Map: Harbour Street 1' }).count(), { timeout: 20_000 })
    .toBe(1);
  await screenshot(page, 'inbox-whatsapp-desktop');

  // An internal note stays in the workspace: nothing more reaches Graph.
  await page.getByRole('tab', { name: 'Internal note' }).click();
  await page.getByLabel('Internal note').fill('Customer is a VIP, be nice');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => page.locator('[data-direction="note"]').count(), { timeout: 15_000 }).toBe(1);
  const afterNote = graph.requests.length;
  await new Promise((r) => setTimeout(r, 1000));
  expect(graph.requests.length).toBe(afterNote);

  // The agent goes offline: the conversation leaves their inbox live and goes back to the queue...
  await agentPage.getByLabel('Your status').selectOption('offline');
  await expect.poll(() => row(agentPage, name).count(), { timeout: 20_000 }).toBe(0);
  await expect.poll(() => picker.inputValue(), { timeout: 20_000 }).toBe('');
  // ...and when they come back it is routed to them again.
  await agentPage.getByLabel('Your status').selectOption('online');
  await expect.poll(() => row(agentPage, name).count(), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => picker.inputValue(), { timeout: 20_000 }).toBe(agentId);

  // No answer within the configured time: a new conversation the agent leaves alone moves on (the
  // only other way is nobody, so it waits in the queue and leaves their inbox).
  await setAssignmentConfig('demo', { noAnswerSeconds: 10 }, admin);
  try {
    const other = `Bo ${randomBytes(2).toString('hex')}`;
    const otherWaId = `1556${Math.floor(Math.random() * 1e7)}`;
    await webhook(
      waWebhook(phoneNumberId, { contacts: [waContact(otherWaId, other)], messages: [waText(otherWaId, 'Anyone there?')] }),
    );
    await expect.poll(() => row(agentPage, other).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => row(agentPage, other).count(), { timeout: 40_000, interval: 1_000 }).toBe(0);
    const moved = await EventLog.findOne({
      type: 'conversation.unassigned',
      'data.reason': 'no_answer',
      'data.agentId': agentId,
    }).lean();
    expect(moved).not.toBeNull();
    expect(await row(agentPage, name).count()).toBe(1); // the answered one stays
  } finally {
    await setAssignmentConfig('demo', {}, admin);
  }
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
}, 180_000);
