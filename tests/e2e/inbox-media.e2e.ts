import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { connectMongo, disconnectMongo } from '@/server/db/mongo';
import { demoWhatsAppInbox, graphPort } from './support/whatsapp-inbox';
import { startFakeMedia, type FakeMediaServer } from '../support/fake-providers/media';
import { META_SECRETS, signMeta, TWILIO, waContact, waWebhook, wamid } from '../support/inbox-fixtures';
import { launchBrowser, screenshot } from './setup/browser';
import { hostRequest } from './support/host-request';
import { row, signInToInbox } from './support/workspace';

/**
 * A WhatsApp photo end to end against the production web, realtime and worker: the signed webhook
 * opens a conversation; while the worker downloads the photo from the fake Graph API the agent
 * sees "Downloading image…"; once it is stored the preview replaces it live (no reload), loaded
 * through the authenticated attachment route.
 */
let browser: Browser;
let media: FakeMediaServer;
let publicId: string;
const phoneNumberId = `10${randomBytes(5).readUIntBE(0, 5)}`;

/** A real PNG (solid colour, 160x90), so the browser decodes it and the preview has a size. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(async () => {
  await connectMongo();
  await ensurePlatformIndexes();
  // The stack's META_GRAPH_BASE_URL points at this port (tests/e2e/setup/global-setup.ts).
  media = await startFakeMedia({
    accessToken: META_SECRETS.accessToken,
    twilio: TWILIO,
    port: graphPort(),
  });
  publicId = await demoWhatsAppInbox(`WhatsApp media ${phoneNumberId}`, phoneNumberId);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await media?.close();
  await disconnectMongo();
});

it('a WhatsApp photo shows "Downloading image…", then its preview, live', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await signInToInbox(context, 'Admin');
  const waId = `1555${Math.floor(Math.random() * 1e7)}`;
  const name = `Photo ${randomBytes(2).toString('hex')}`;
  const mediaId = `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
  let release!: () => void;
  media.files.set(mediaId, {
    bytes: png(160, 90, [37, 99, 235]),
    mimeType: 'image/png',
    gate: new Promise<void>((r) => (release = r)),
  });

  const message = {
    from: waId,
    id: wamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'image',
    image: { id: mediaId, mime_type: 'image/png', sha256: 'x', caption: 'The dent on the box' },
  };
  const raw = JSON.stringify(waWebhook(phoneNumberId, { contacts: [waContact(waId, name)], messages: [message] }));
  const res = await hostRequest('demo.localhost', `/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    body: raw,
    headers: { 'x-hub-signature-256': signMeta(raw) },
  });
  expect(res.status).toBe(200);

  const item = row(page, name);
  await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1);
  await item.click();
  const bubble = page.locator('[data-message]').filter({ hasText: 'The dent on the box' });
  await expect
    .poll(() => bubble.locator('[data-attachment="pending"]').textContent(), { timeout: 20_000 })
    .toContain('Downloading image');
  await screenshot(page, 'inbox-media-downloading');

  release(); // the worker's download completes; the socket's inbox:message.updated refreshes the thread
  const img = bubble.locator('[data-attachment="image"] img');
  await expect.poll(() => img.count(), { timeout: 20_000 }).toBe(1);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 15_000 }).toBe(160);
  expect(await img.getAttribute('src')).toMatch(/^\/api\/attachments\/[0-9a-f]{24}\/0$/);
  expect(await bubble.locator('figcaption').textContent()).toMatch(/^image-[0-9a-f]{6}-1\.png · \d+ (B|KB)$/);
  expect(media.problems).toEqual([]);
  await screenshot(page, 'inbox-media-image');

  // A document, a voice note and a photo the provider no longer has, in the same conversation.
  const docId = `${mediaId}1`;
  const voiceId = `${mediaId}2`;
  media.files.set(docId, { bytes: randomBytes(40 * 1024), mimeType: 'application/pdf' });
  media.files.set(voiceId, { bytes: randomBytes(3000), mimeType: 'audio/ogg; codecs=opus' });
  const at = String(Math.floor(Date.now() / 1000));
  const more = [
    {
      from: waId,
      id: wamid(),
      timestamp: at,
      type: 'document',
      document: { id: docId, mime_type: 'application/pdf', filename: 'Invoice 2026-11.pdf' },
    },
    {
      from: waId,
      id: wamid(),
      timestamp: at,
      type: 'audio',
      audio: { id: voiceId, mime_type: 'audio/ogg; codecs=opus', voice: true },
    },
    { from: waId, id: wamid(), timestamp: at, type: 'image', image: { id: 'expired-media-id', mime_type: 'image/jpeg' } },
  ];
  const raw2 = JSON.stringify(waWebhook(phoneNumberId, { contacts: [waContact(waId, name)], messages: more }));
  const res2 = await hostRequest('demo.localhost', `/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    body: raw2,
    headers: { 'x-hub-signature-256': signMeta(raw2) },
  });
  expect(res2.status).toBe(200);
  const file = page.locator('[data-attachment="file"]').filter({ hasText: 'Invoice 2026-11.pdf' });
  await expect.poll(() => file.count(), { timeout: 20_000 }).toBe(1);
  expect(await file.textContent()).toBe('Invoice 2026-11.pdf · 40 KB');
  expect(await file.getAttribute('href')).toMatch(/^\/api\/attachments\/[0-9a-f]{24}\/0$/);
  await expect.poll(() => page.locator('[data-attachment="audio"] audio').count(), { timeout: 20_000 }).toBe(1);
  const failed = page.locator('[data-attachment="failed"]');
  await expect.poll(() => failed.count(), { timeout: 20_000 }).toBe(1);
  expect(await failed.textContent()).toBe(
    'Could not download the image: Looking up the WhatsApp media failed: Unsupported get request. Object does not exist',
  );
  await screenshot(page, 'inbox-media-kinds');

  // A phone-sized screen keeps the preview inside the bubble.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'inbox-media-image-phone');
  await context.close();
});
