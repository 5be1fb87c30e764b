import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { createInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { eventually } from '../helpers/processes';
import { launchBrowser, screenshot, webUrl } from './setup/browser';
import { signInToInbox } from './support/workspace';

/**
 * The web-chat widget with a real agent on the other side: the visitor writes on a shop's page
 * (another origin), the agent sees the conversation appear live in the workspace, answers from the
 * composer, and the visitor sees the answer live. No reloads anywhere.
 */
let browser: Browser;
let shop: http.Server;
let shopHtml = '';
let publicId: string;

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  publicId = (
    await createInbox('demo', {
      name: `Site chat ${randomBytes(2).toString('hex')}`,
      provider: 'webchat',
      channel: 'webchat',
      webchat: {},
    })
  ).publicId;
  browser = await launchBrowser();
  shop = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(shopHtml));
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await browser?.close();
  shop?.close();
  await disconnectMongo();
});

it('visitor writes -> agent sees it live -> agent replies -> visitor sees it live', async () => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const agent = await signInToInbox(agentContext, 'Admin');

  shopHtml = `<!doctype html><html><head><title>Shop</title></head><body style="font-family:sans-serif;margin:40px"><h1>Acme Shop</h1>
    <script src="${webUrl('demo.localhost', '/widget.js')}" data-inbox="${publicId}" data-title="Chat with us" async></script></body></html>`;
  const visitor = await browser.newPage({ viewport: { width: 390, height: 780 } });
  await visitor.goto(`http://shop.localhost:${(shop.address() as { port: number }).port}/`);
  const widget = visitor.locator('[data-cop-widget]');
  await widget.getByRole('button', { name: 'Chat with us' }).click();
  const question = `Do you ship to Lisbon? ${randomBytes(2).toString('hex')}`;
  await widget.getByLabel('Your message').fill(question);
  await widget.getByLabel('Your message').press('Enter');

  let conversationId = '';
  await eventually(
    async () => {
      const m = await tenantModels('demo').ConversationMessage.findOne({ content: question }).lean();
      conversationId = m ? String(m.conversationId) : '';
      return Boolean(m);
    },
    'visitor message stored',
    30_000,
  );
  await agent.getByRole('button', { name: /^All/ }).click();
  // By id: the engine may add to the conversation (e.g. a queue notice) after the visitor's message.
  const item = agent.locator(`[data-conversation="${conversationId}"]`);
  await expect
    .poll(() => item.count(), { timeout: 30_000 })
    .toBe(1)
    .catch(async (err: unknown) => {
      await screenshot(agent, 'inbox-webchat-agent-failure');
      throw err;
    });
  await item.click();
  await expect.poll(() => agent.getByTestId('window-state').textContent(), { timeout: 15_000 }).toContain('web chat');
  await agent.getByLabel('Reply', { exact: true }).fill('Yes, in two working days.');
  await agent.getByRole('button', { name: 'Send' }).click();

  await expect.poll(() => widget.getByText('Yes, in two working days.').isVisible(), { timeout: 20_000 }).toBe(true);
  await screenshot(agent, 'inbox-webchat-agent-desktop');
  await screenshot(visitor, 'inbox-webchat-visitor-phone');
  await visitor.close();
  await agentContext.close();
});
