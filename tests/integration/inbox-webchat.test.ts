import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as sessionPost } from '@/app/api/webhooks/webchat/[inboxId]/session/route';
import { OPTIONS as messageOptions, POST as messagePost } from '@/app/api/webhooks/webchat/[inboxId]/route';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { queueReply } from '@/server/services/inbox/outbound';
import { createInbox } from '@/server/services/inbox/inboxes';
import { mintRealtimeToken } from '@/server/realtime/token';
import { tenantModels } from '@/server/tenancy/connections';
import { startRealtimeServer, type RealtimeServer } from '../../realtime/server';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually } from '../helpers/processes';
import { orgWithInbox } from '../support/inbox-fixtures';
import { startWorkers, type RunningWorkers } from '../../worker/start';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** The web-chat widget's server side: visitor identity across reloads, messages in, replies live out. */
isolateRedisPrefix('inbox-webchat');
let workers: RunningWorkers;
let realtime: RealtimeServer;
const sockets: Socket[] = [];
const ctx = (inboxId: string) => ({ params: Promise.resolve({ inboxId }) });

beforeAll(async () => {
  await startTenancy();
  workers = startWorkers();
  realtime = await startRealtimeServer(0);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await realtime.close();
  await workers.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

async function webchatInbox(allowedOrigins?: string[]) {
  const { slug } = await orgWithInbox();
  const inbox = await createInbox(slug, {
    name: 'Website',
    provider: 'webchat',
    channel: 'webchat',
    webchat: { greeting: 'Hi! How can we help?', allowedOrigins },
  });
  return { slug, inbox };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example.com', ...headers },
    body: JSON.stringify(body),
  });

it('keeps the visitor across reloads, stores messages once and delivers agent replies live', async () => {
  const { slug, inbox } = await webchatInbox();
  const base = `https://demo.example.com/api/webhooks/webchat/${inbox.publicId}`;
  const first = await sessionPost(post(`${base}/session`, {}), ctx(inbox.publicId));
  expect(first.status).toBe(200);
  expect(first.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  const s1 = (await first.json()) as { token: string; visitorId: string; greeting: string; messages: unknown[] };
  expect(s1).toMatchObject({ greeting: 'Hi! How can we help?', messages: [] });

  // An agent of the organisation is connected: the new conversation and message reach the org room.
  const agent = connect(`http://127.0.0.1:${realtime.port}`, {
    auth: { token: await mintRealtimeToken({ userId: 'agent-1', slug }) },
    transports: ['websocket'],
    extraHeaders: { origin: `http://${slug}.localhost:3000` },
  });
  sockets.push(agent);
  await new Promise<void>((resolve, reject) => {
    agent.on('connect', () => resolve());
    agent.on('connect_error', reject);
  });
  const agentSaw: string[] = [];
  agent.onAny((event: string) => agentSaw.push(event));

  const msg = { clientMessageId: 'abc12345xyz', text: 'Do you ship to Porto?', email: 'ana@example.com' };
  expect((await messagePost(post(base, msg), ctx(inbox.publicId))).status).toBe(401); // no token
  for (let i = 0; i < 2; i++)
    expect((await messagePost(post(base, msg, { authorization: `Bearer ${s1.token}` }), ctx(inbox.publicId))).status).toBe(200);
  const { ConversationMessage, Customer, Conversation } = tenantModels(slug);
  await eventually(async () => (await ConversationMessage.countDocuments({ direction: 'in' })) === 1, 'visitor message stored');
  expect(await Customer.findOne({ identityKeys: `webchat|${s1.visitorId}` }).lean()).toMatchObject({ email: 'ana@example.com' });
  await eventually(
    () => agentSaw.includes('inbox:conversation.ready') && agentSaw.includes('inbox:message.created'),
    'live events for agents',
  );

  // A reload: the stored token resumes the same visitor, with the history.
  const again = (await (
    await sessionPost(post(`${base}/session`, { token: s1.token }), ctx(inbox.publicId))
  ).json()) as typeof s1 & { messages: Array<{ text: string; direction: string }> };
  expect(again.visitorId).toBe(s1.visitorId);
  expect(again.messages).toEqual([expect.objectContaining({ direction: 'in', text: 'Do you ship to Porto?' })]);

  // The visitor's widget socket receives the agent's reply.
  const socket = connect(`http://127.0.0.1:${realtime.port}/widget`, { auth: { token: again.token }, transports: ['websocket'] });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  const received = new Promise<{ text: string; direction: string }>((resolve) => socket.on('message', resolve));
  const conv = await Conversation.findOne().lean();
  const { messageId } = await queueReply(slug, '65a000000000000000000001', {
    conversationId: String(conv!._id),
    text: 'Yes, in 2 days.',
  });
  expect(await received).toMatchObject({ text: 'Yes, in 2 days.', direction: 'out' });
  await eventually(async () => (await ConversationMessage.findById(messageId).lean())?.status === 'sent', 'reply marked sent');
});

it('refuses tokens of another inbox, forged tokens and origins the inbox does not allow', async () => {
  const a = await webchatInbox(['https://shop.example.com']);
  const b = await webchatInbox();
  const tokenB = ((await (await sessionPost(post('https://x/session', {}), ctx(b.inbox.publicId))).json()) as { token: string })
    .token;
  const msg = { clientMessageId: 'abc12345xyz', text: 'hello' };
  expect((await messagePost(post('https://x', msg, { authorization: `Bearer ${tokenB}` }), ctx(a.inbox.publicId))).status).toBe(
    403,
  );
  expect(
    (await messagePost(post('https://x', msg, { authorization: `Bearer ${tokenB.slice(0, -3)}abc` }), ctx(b.inbox.publicId)))
      .status,
  ).toBe(401);
  const evil = new Request('https://x', { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' } });
  expect((await messageOptions(evil, ctx(a.inbox.publicId))).headers.get('access-control-allow-origin')).toBeNull();
  expect(
    (
      await messagePost(
        post('https://x', msg, { origin: 'https://evil.example.com', authorization: `Bearer ${tokenB}` }),
        ctx(a.inbox.publicId),
      )
    ).status,
  ).toBe(403);
  // A stale token of another inbox does not resume anyone there: a fresh visitor starts.
  const fresh = (await (await sessionPost(post('https://x/session', { token: tokenB }), ctx(a.inbox.publicId))).json()) as {
    token: string;
  };
  expect(fresh.token).not.toBe(tokenB);
  const unknown = await sessionPost(post('https://x/session', {}), ctx('ibx_000000000000000000000000'));
  expect(unknown.status).toBe(404);
});
