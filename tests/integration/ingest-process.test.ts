import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { createInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { spawnProc, waitForHttp, type Proc } from '../../scripts/lib/procs';
import { isolateRedisPrefix } from '../helpers/prefix';
import { childEnv, eventually, startWorker } from '../helpers/processes';
import { META_SECRETS, orgWithInbox, signMeta, TWILIO, twilioRequest, waText, waWebhook, wamid } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The ingest process (ingest/index.ts) as a real child: what a provider sees over HTTP, and what a
 * worker later stores from it. Its own Redis sub-prefix, so only this file's worker takes its jobs.
 */
isolateRedisPrefix('ingest-process');
let ingest: Proc | undefined;
let worker: Proc | undefined;
let base = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

async function startIngest(): Promise<Proc> {
  const port = await freePort();
  const proc = spawnProc('ingest', process.execPath, ['--import', 'tsx', 'ingest/index.ts'], childEnv({ INGEST_PORT: String(port) }), {
    quiet: !process.env.DEBUG_CHILDREN,
  });
  await Promise.race([
    waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 30_000, ok: (s) => s === 200 }),
    proc.exited.then((code) => Promise.reject(new Error(`ingest exited early (${code}):\n${proc.output()}`))),
  ]);
  base = `http://127.0.0.1:${port}`;
  return proc;
}

const postMeta = (publicId: string, body: unknown, signature?: string) => {
  const raw = JSON.stringify(body);
  return fetch(`${base}/api/webhooks/meta/${publicId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? signMeta(raw) },
    body: raw,
  });
};

beforeAll(async () => {
  await startTenancy();
  ingest = await startIngest();
}, 60_000);
afterAll(async () => {
  await Promise.all([ingest?.stop(), worker?.stop()]);
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

it('answers the Meta GET handshake with the challenge, and 403 for a wrong verify token', async () => {
  const { inbox } = await orgWithInbox();
  const q = (token: string) => `hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
  const ok = await fetch(`${base}/api/webhooks/meta/${inbox.publicId}?${q(META_SECRETS.verifyToken)}`);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe('1158201444');
  expect((await fetch(`${base}/api/webhooks/meta/${inbox.publicId}?${q('wrong')}`)).status).toBe(403);
});

it('refuses a bad signature (401), an unknown inbox (404) and an oversized body (413), storing nothing', async () => {
  const { slug, inbox, phoneNumberId } = await orgWithInbox();
  const body = waWebhook(phoneNumberId, { messages: [waText('15550009999', 'hello')] });
  expect((await postMeta(inbox.publicId, body, signMeta(JSON.stringify(body), 'not-the-app-secret'))).status).toBe(401);
  expect((await postMeta('ibx_doesnotexist', body)).status).toBe(404);
  const huge = waWebhook(phoneNumberId, { messages: [waText('15550009999', 'x'.repeat(300 * 1024))] });
  expect((await postMeta(inbox.publicId, huge)).status).toBe(413);
  expect((await fetch(`${base}/api/webhooks/nothing-here`)).status).toBe(404);
  expect((await fetch(`${base}/api/webhooks/meta/%zz`, { method: 'POST', body: '{}' })).status).toBe(404);

  worker ??= startWorker();
  await new Promise((r) => setTimeout(r, 1500)); // time for a wrongly queued event to be stored
  expect(await tenantModels(slug).ConversationMessage.countDocuments()).toBe(0);
}, 30_000);

it('acknowledges a signed WhatsApp webhook and a worker stores it exactly once, replays included', async () => {
  const { slug, inbox, phoneNumberId } = await orgWithInbox();
  const msg = waText('15550001234', 'Where is my order?');
  const body = waWebhook(phoneNumberId, { messages: [msg] });
  const first = await postMeta(inbox.publicId, body);
  expect(first.status).toBe(200);
  expect(await first.text()).toBe('EVENT_RECEIVED');
  expect((await postMeta(inbox.publicId, body)).status).toBe(200); // Meta redelivers

  worker ??= startWorker();
  const { ConversationMessage } = tenantModels(slug);
  await eventually(async () => (await ConversationMessage.countDocuments()) >= 1, 'message stored', 30_000);
  await new Promise((r) => setTimeout(r, 1000));
  const stored = await ConversationMessage.find().lean();
  expect(stored.map((m) => m.providerMessageId)).toEqual([msg.id]);
}, 45_000);

it('verifies Twilio signatures against the URL the provider called (forwarded by the proxy)', async () => {
  const { inbox } = await orgWithInbox({ provider: 'twilio', channel: 'sms', meta: undefined, twilio: TWILIO });
  const params = { AccountSid: TWILIO.accountSid, MessageSid: `SM${'b'.repeat(32)}`, From: '+15557654321', To: TWILIO.fromNumber, Body: 'hi' };
  const signed = twilioRequest(inbox.publicId, params);
  const send = (sig: string) =>
    fetch(`${base}/api/webhooks/twilio/${inbox.publicId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' },
      body: new URLSearchParams(params).toString(),
    });
  const ok = await send(signed.headers.get('x-twilio-signature')!);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toContain('xml');
  expect((await send('bm90LXRoZS1zaWduYXR1cmU=')).status).toBe(401);
});

it('serves the web-chat widget: CORS preflight, visitor session, signed-in message stored once', async () => {
  const { slug } = await orgWithInbox();
  const inbox = await createInbox(slug, { name: 'Website', provider: 'webchat', channel: 'webchat', webchat: { greeting: 'Hi!' } });
  const url = `${base}/api/webhooks/webchat/${inbox.publicId}`;
  const origin = 'https://shop.example.com';
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const session = await post('/session', {});
  expect(session.status).toBe(200);
  const { token } = (await session.json()) as { token: string };
  const msg = { clientMessageId: 'ingest12345', text: 'Do you ship to Porto?' };
  expect((await post('', msg)).status).toBe(401); // no visitor token
  expect((await post('', msg, token)).status).toBe(200);
  expect((await post('', msg, token)).status).toBe(200); // the widget retried
  worker ??= startWorker();
  const { ConversationMessage } = tenantModels(slug);
  await eventually(async () => (await ConversationMessage.countDocuments({ direction: 'in' })) >= 1, 'visitor message stored', 30_000);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await ConversationMessage.countDocuments({ direction: 'in' })).toBe(1);
}, 45_000);

it('loses no acknowledged event when SIGTERM arrives during a burst', async () => {
  const { slug, inbox, phoneNumberId } = await orgWithInbox();
  const acked: string[] = [];
  let sent = 0;
  let stopping: Promise<number | null> | undefined;
  const proc = ingest!;
  const loop = async (k: number) => {
    for (let i = 0; i < 200; i++) {
      const msg = waText(`1555200${k}${i % 10}33`, `burst ${k}.${i}`, wamid());
      sent++;
      try {
        const res = await postMeta(inbox.publicId, waWebhook(phoneNumberId, { messages: [msg] }));
        if (res.status === 200) acked.push(msg.id);
      } catch {
        return; // refused connection once the server stopped listening: not acknowledged
      }
      if (acked.length === 60 && !stopping) stopping = proc.stop('SIGTERM', 20_000);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, k) => loop(k)));
  expect(stopping).toBeDefined();
  const code = await stopping;
  expect(proc.output()).toContain('[ingest] stopped cleanly');
  expect(code).toBe(0); // exited through the graceful path, not killed
  expect(acked.length).toBeGreaterThanOrEqual(60);
  expect(acked.length).toBeLessThan(sent); // the burst really was cut off

  worker ??= startWorker();
  const { ConversationMessage } = tenantModels(slug);
  await eventually(async () => (await ConversationMessage.countDocuments()) >= acked.length, 'acked messages stored', 60_000);
  await new Promise((r) => setTimeout(r, 1500));
  const stored = await ConversationMessage.find().select({ providerMessageId: 1 }).lean();
  const ids = stored.map((m) => m.providerMessageId);
  expect(new Set(ids).size).toBe(ids.length); // nothing twice
  for (const id of acked) expect(ids).toContain(id); // nothing acknowledged lost
  ingest = await startIngest(); // for afterAll symmetry
}, 120_000);
