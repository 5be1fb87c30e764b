import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeQueues, enqueue } from '@/server/queues';
import { notifyJob } from '@/server/queues/jobs/system';
import { closeRedis } from '@/server/redis';
import { DEMO_USERS } from '@/server/services/demo/demo-data';
import { launchBrowser, webUrl } from './setup/browser';

/**
 * The whole realtime path as a user gets it: sign in on the organisation's host in Chromium, have
 * the web app mint the socket token for that session, open the socket with it from the
 * organisation's origin, and receive what the worker emits to the organisation.
 */
let browser: Browser;
let socket: Socket | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  socket?.disconnect();
  await browser?.close();
  await closeQueues();
  await closeRedis();
});

describe('signed-in realtime', () => {
  it('mints a token for the signed-in user and delivers org events to their socket', async () => {
    const agent = DEMO_USERS.find((u) => u.role === 'Agent')!;
    const page = await browser.newPage();
    await page.goto(webUrl('demo.localhost', '/sign-in'));
    await page.fill('input[name=email]', agent.email);
    await page.fill('input[name=password]', agent.password);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), page.click('button[type=submit]')]);

    const minted = await page.evaluate(async () => {
      const res = await fetch('/api/realtime/token', { method: 'POST' });
      return { status: res.status, body: (await res.json()) as { token?: string; url?: string } };
    });
    expect(minted.status).toBe(200);
    expect(minted.body.url).toBe(`http://localhost:${inject('e2e').realtimePort}`);

    socket = connect(`http://127.0.0.1:${inject('e2e').realtimePort}`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: minted.body.token },
      extraHeaders: { origin: new URL(page.url()).origin },
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once('connect', resolve);
      socket!.once('connect_error', reject);
    });
    const got: unknown[] = [];
    socket.on('e2e.signed-in', (d) => got.push(d));
    await enqueue(notifyJob, { slug: 'demo', event: 'e2e.signed-in', data: { ok: true } });
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(1);
    await page.close();
  });
});
