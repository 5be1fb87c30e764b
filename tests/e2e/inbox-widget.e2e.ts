import http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { closeRedis } from '@/server/redis';
import { createInbox } from '@/server/services/inbox/inboxes';
import { queueReply } from '@/server/services/inbox/outbound';
import { tenantModels } from '@/server/tenancy/connections';
import { eventually } from '../helpers/processes';
import { launchBrowser, screenshot, webUrl } from './setup/browser';

/**
 * The web-chat widget embedded on a shop's page (another origin): the visitor writes, the message
 * reaches the demo organisation's inbox through the production web, queue and worker; the agent's
 * reply arrives live in the widget; after a reload the same visitor sees the whole conversation.
 */
let browser: Browser;
let publicId: string;
let shop: http.Server;
let shopHtml = '';

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  publicId = (
    await createInbox('demo', {
      name: 'Website chat',
      provider: 'webchat',
      channel: 'webchat',
      webchat: { greeting: 'Hi! Ask us anything about your order.' },
    })
  ).publicId;
  browser = await launchBrowser();
  // The shop is a real local server (another origin): Chromium refuses loopback requests from pages it cannot place.
  shop = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(shopHtml));
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await browser?.close();
  shop?.close();
  await Promise.allSettled([closeQueues(), closeEmitter(), closeRedis()]);
  await disconnectMongo();
});

async function shopPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  shopHtml = `<!doctype html><html><head><title>Shop</title></head><body style="font-family:sans-serif;margin:40px"><h1>Acme Shop</h1><p>Products...</p>
    <script src="${webUrl('demo.localhost', '/widget.js')}" data-inbox="${publicId}" data-title="Chat with Acme" data-color="#0f766e" async></script></body></html>`;
  await page.goto(`http://shop.localhost:${(shop.address() as { port: number }).port}/`);
  return page;
}

it('carries a conversation both ways and survives a reload', async () => {
  const page = await shopPage();
  const widget = page.locator('[data-cop-widget]');
  const launcher = widget.getByRole('button', { name: 'Chat with Acme' });
  await launcher.waitFor();
  await screenshot(page, 'inbox-widget-closed');
  await launcher.click();
  await expect.poll(() => widget.getByText('Hi! Ask us anything about your order.').isVisible()).toBe(true);
  await screenshot(page, 'inbox-widget-greeting');

  await widget.getByLabel('Your message').fill('Where is order #1042?');
  await widget.getByLabel('Your message').press('Enter');
  await expect.poll(() => widget.getByText('Sent').isVisible(), { timeout: 15_000 }).toBe(true);

  const { ConversationMessage, Conversation } = tenantModels('demo');
  let conversationId = '';
  await eventually(
    async () => {
      const m = await ConversationMessage.findOne({ content: 'Where is order #1042?' }).lean();
      conversationId = m ? String(m.conversationId) : '';
      return Boolean(m);
    },
    'visitor message in the inbox',
    30_000,
  );
  expect(await Conversation.findById(conversationId).lean()).toMatchObject({ channel: 'webchat', status: 'open' });

  await queueReply('demo', '65a000000000000000000001', { conversationId, text: 'It left our warehouse today.' });
  await expect.poll(() => widget.getByText('It left our warehouse today.').isVisible(), { timeout: 20_000 }).toBe(true);
  await screenshot(page, 'inbox-widget-reply');

  await page.reload();
  await widget.getByRole('button', { name: 'Chat with Acme' }).click();
  await expect.poll(() => widget.getByText('It left our warehouse today.').isVisible(), { timeout: 15_000 }).toBe(true);
  expect(await widget.getByText('Where is order #1042?').isVisible()).toBe(true);
  await page.close();

  const phone = await shopPage({ width: 390, height: 780 });
  await phone.locator('[data-cop-widget]').getByRole('button', { name: 'Chat with Acme' }).click();
  await expect
    .poll(() => phone.locator('[data-cop-widget]').getByText('Hi! Ask us anything about your order.').isVisible())
    .toBe(true);
  await screenshot(phone, 'inbox-widget-phone');
  await phone.close();
});
