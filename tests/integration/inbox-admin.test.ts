import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as metaGet, POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { POST as twilioPost } from '@/app/api/webhooks/twilio/[inboxId]/route';
import { ensurePlatformIndexes, platformModels } from '@/server/db/models/platform';
import { ensureTenantIndexes } from '@/server/db/models/tenant';
import { closeQueues, queue } from '@/server/queues';
import { closeEmitter } from '@/server/realtime/emit';
import { createRedis } from '@/server/redis';
import { deliverMessage } from '@/server/services/inbox/delivery';
import { resolveInbox } from '@/server/services/inbox/inboxes';
import { configChannel } from '@/server/tenancy/config-events';
import { issueSession } from '@/server/services/identity/sessions';
import { tenantModels } from '@/server/tenancy/connections';
import { createInnerContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';
import { invalidateOrg } from '@/server/tenancy/org-cache';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually } from '../helpers/processes';
import { META_SECRETS, metaRequest, signMeta, TWILIO, twilioRequest, waText, waWebhook } from '../support/inbox-fixtures';
import { authzOrg, outcome, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The admin console's inbox procedures through the real tRPC callers, and their effect on the real
 * webhook route handlers: permissions, tenant isolation, write-only secrets, rotation in force at
 * once, disabled inboxes refused, deletion rule, plan features and the audit trail.
 */
isolateRedisPrefix('inbox-admin');
const params = (inboxId: string) => ({ params: Promise.resolve({ inboxId }) });
let org: AuthzOrg;
let other: AuthzOrg;

beforeAll(async () => {
  await startTenancy();
  await ensurePlatformIndexes();
  org = await authzOrg('ib');
  other = await authzOrg('ix');
  await ensureTenantIndexes(tenantModels(org.slug));
});
afterAll(async () => {
  await closeEmitter();
  await closeQueues();
  await stopTenancy();
});

const waInput = (phoneNumberId = '1055551234') => ({
  name: 'WhatsApp EU',
  provider: 'meta' as const,
  channel: 'whatsapp' as const,
  meta: { ...META_SECRETS, phoneNumberId },
});

async function queuedJobs() {
  const c = await queue('inboxIngest').getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** POST a WhatsApp text signed with `secret` to the inbox's webhook route; the HTTP status. */
async function postWa(publicId: string, secret: string, phoneNumberId = '1055551234') {
  const raw = JSON.stringify(waWebhook(phoneNumberId, { messages: [waText('15551230000', 'hi')] }));
  return (await metaPost(metaRequest(publicId, raw, { signature: signMeta(raw, secret) }), params(publicId))).status;
}

async function auditActions(slug: string, id: string) {
  const rows = await tenantModels(slug).AuditLog.find({ 'target.id': id }).sort({ seq: 1 }).lean();
  return rows;
}

it('lets an admin create a WhatsApp inbox whose secrets are encrypted and write-only; agents may not', async () => {
  const input = waInput();
  expect(await outcome(org.caller('Agent').inboxes.create(input))).toBe('FORBIDDEN');
  const created = await org.caller('Admin').inboxes.create(input);
  expect(created).toMatchObject({
    name: 'WhatsApp EU',
    channel: 'whatsapp',
    enabled: true,
    webhookPath: `/api/webhooks/meta/${created.publicId}`,
    secretsSet: { appSecret: true, verifyToken: true, accessToken: true, authToken: false },
  });
  expect(JSON.stringify(await org.caller('Admin').inboxes.list())).not.toMatch(/app-secret|verify-token|EAAG|enc:v1/);
  const stored = await tenantModels(org.slug).Inbox.findById(created.id).lean();
  expect(stored?.meta?.appSecret).toMatch(/^enc:v1:/);
  expect(await outcome(org.caller('Admin').inboxes.create({ ...input, channel: 'sms' as const }))).toBe('BAD_REQUEST');
  // WhatsApp needs its phone number id (the outbound sender cannot address Graph without it).
  expect(await outcome(org.caller('Admin').inboxes.create({ ...input, meta: META_SECRETS }))).toBe('BAD_REQUEST');
});

describe('permissions', () => {
  it('agents, branch managers and team leads cannot see or change inboxes; operations can', async () => {
    const { id } = await org.caller('Admin').inboxes.create(waInput());
    for (const role of ['Agent', 'Branch Manager', 'Team Lead', 'Member']) {
      const c = org.caller(role);
      expect(await outcome(c.inboxes.list())).toBe('FORBIDDEN');
      expect(await outcome(c.inboxes.update({ id, name: 'x' }))).toBe('FORBIDDEN');
      expect(await outcome(c.inboxes.rotateSecret({ id, secret: 'appSecret', value: 'stolen-secret-123' }))).toBe('FORBIDDEN');
      expect(await outcome(c.inboxes.delete({ id }))).toBe('FORBIDDEN');
    }
    expect((await tenantModels(org.slug).Inbox.findById(id).lean())?.name).toBe('WhatsApp EU');
    expect(await outcome(org.caller('Operations').inboxes.update({ id, name: 'Ops renamed' }))).toBe('OK');
  });

  it('another organisation cannot see, change, rotate or delete this one’s inbox', async () => {
    const mine = await org.caller('Admin').inboxes.create(waInput());
    const theirs = other.caller('Admin');
    expect((await theirs.inboxes.list()).map((i) => i.id)).not.toContain(mine.id);
    expect(await outcome(theirs.inboxes.update({ id: mine.id, enabled: false }))).toBe('NOT_FOUND');
    expect(await outcome(theirs.inboxes.rotateSecret({ id: mine.id, secret: 'appSecret', value: 'hijacked-secret-1' }))).toBe('NOT_FOUND');
    expect(await outcome(theirs.inboxes.delete({ id: mine.id }))).toBe('NOT_FOUND');
    // Their admin's real session cookie on our host is nobody here.
    const session = await issueSession(other.slug, other.users.Admin!.id);
    const cookie = session.cookies.map((c) => c.split(';')[0]).join('; ');
    const onOurHost = createCaller(createInnerContext({ host: org.host, headers: new Headers({ host: org.host, cookie }) }));
    expect(await outcome(onOurHost.inboxes.list())).toBe('UNAUTHORIZED');
    expect(await outcome(onOurHost.inboxes.update({ id: mine.id, enabled: false }))).toBe('UNAUTHORIZED');
    expect(await postWa(mine.publicId, META_SECRETS.appSecret)).toBe(200);
    const stored = await tenantModels(org.slug).Inbox.findById(mine.id).lean();
    expect(stored).toMatchObject({ enabled: true, name: 'WhatsApp EU' });
  });
});

describe('bad input is refused and changes nothing', () => {
  it('operators, unknown keys, wrong provider settings and short secrets', async () => {
    const { id } = await org.caller('Admin').inboxes.create(waInput());
    const admin = org.caller('Admin');
    const before = await tenantModels(org.slug).Inbox.findById(id).lean();
    const bad: unknown[] = [
      { id: { $ne: null }, name: 'x' },
      { id, name: 'x', enabled: { $ne: false } },
      { id, name: 'x', 'meta.appSecret': 'plain' },
      { id, meta: { phoneNumberId: { $gt: '' } } },
      { id, meta: { appSecret: 'not-through-update' } },
      { id, twilio: { fromNumber: '+15550001111' } }, // a Meta inbox has no Twilio settings
      { id, meta: { phoneNumberId: 'abc' } },
      { id, name: '   ' },
    ];
    for (const input of bad) expect(await outcome(admin.inboxes.update(input as never)), JSON.stringify(input)).toBe('BAD_REQUEST');
    expect(await outcome(admin.inboxes.rotateSecret({ id, secret: 'appSecret', value: 'short' }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.inboxes.rotateSecret({ id, secret: 'authToken', value: 'a-twilio-token-0123456789' }))).toBe('BAD_REQUEST');
    expect(await outcome(admin.inboxes.rotateSecret({ id, secret: '$set' as never, value: 'x'.repeat(20) }))).toBe('BAD_REQUEST');
    expect(await tenantModels(org.slug).Inbox.findById(id).lean()).toEqual(before);
    // Only the ids given change; the one WhatsApp needs stays.
    expect(await outcome(admin.inboxes.update({ id, meta: { pageId: '42', phoneNumberId: undefined } }))).toBe('OK');
    expect((await tenantModels(org.slug).Inbox.findById(id).lean())?.meta).toMatchObject({ phoneNumberId: '1055551234', pageId: '42' });
  });
});

describe('secrets', () => {
  it('are never returned by any procedure nor written to the audit log', async () => {
    const admin = org.caller('Admin');
    const created = await admin.inboxes.create(waInput());
    const answers = [
      created,
      await admin.inboxes.update({ id: created.id, name: 'Renamed' }),
      await admin.inboxes.rotateSecret({ id: created.id, secret: 'accessToken', value: 'EAAG-NEW-rotated-token' }),
      await admin.inboxes.list(),
    ];
    const dump = JSON.stringify(answers) + JSON.stringify(await auditActions(org.slug, created.id));
    for (const secret of [...Object.values(META_SECRETS), 'EAAG-NEW-rotated-token', 'enc:v1']) expect(dump).not.toContain(secret);
    expect((await auditActions(org.slug, created.id)).map((a) => a.action)).toEqual(['inbox.created', 'inbox.updated', 'inbox.secret.rotated']);
  });

  it('a rotated app secret is in force at once: the old signature gets 401, the new one 200', async () => {
    const { id, publicId } = await org.caller('Admin').inboxes.create(waInput());
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(200); // also warms the lookup cache
    await org.caller('Admin').inboxes.rotateSecret({ id, secret: 'appSecret', value: 'the-new-app-secret-42' });
    const jobs = await queuedJobs();
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(401);
    expect(await queuedJobs()).toBe(jobs);
    expect(await postWa(publicId, 'the-new-app-secret-42')).toBe(200);

    // The verify token of Meta's GET handshake too.
    await org.caller('Admin').inboxes.rotateSecret({ id, secret: 'verifyToken', value: 'new-verify-token-7' });
    const handshake = (token: string) =>
      metaGet(new Request(`https://hooks.example.com/api/webhooks/meta/${publicId}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`), params(publicId));
    expect((await handshake(META_SECRETS.verifyToken)).status).toBe(403);
    expect(await (await handshake('new-verify-token-7')).text()).toBe('42');
  });

  it('a rotated Twilio auth token is in force at once', async () => {
    const { id, publicId } = await org.caller('Admin').inboxes.create({ name: 'SMS', provider: 'twilio', channel: 'sms', twilio: TWILIO });
    const sms = { MessageSid: `SM${'b'.repeat(32)}`, AccountSid: TWILIO.accountSid, From: '+15557654321', To: TWILIO.fromNumber, Body: 'hi' };
    expect((await twilioPost(twilioRequest(publicId, sms), params(publicId))).status).toBe(200);
    await org.caller('Admin').inboxes.rotateSecret({ id, secret: 'authToken', value: 'rotated-twilio-token-0123' });
    expect((await twilioPost(twilioRequest(publicId, sms), params(publicId))).status).toBe(401);
    expect((await twilioPost(twilioRequest(publicId, sms, { authToken: 'rotated-twilio-token-0123' }), params(publicId))).status).toBe(200);
  });
});

describe('disable and delete', () => {
  it('a disabled inbox refuses webhooks (404, nothing stored) and keeps its conversations; enabling restores it', async () => {
    const admin = org.caller('Admin');
    const { id, publicId } = await admin.inboxes.create(waInput());
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(200);
    const conv = await tenantModels(org.slug).Conversation.create({ customerId: (await tenantModels(org.slug).Customer.create({ name: 'C' }))._id, channel: 'whatsapp', status: 'open', inboxId: id });
    expect(await admin.inboxes.update({ id, enabled: false })).toMatchObject({ enabled: false });
    const jobs = await queuedJobs();
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(404);
    const handshake = `https://hooks.example.com/api/webhooks/meta/${publicId}?hub.mode=subscribe&hub.verify_token=${META_SECRETS.verifyToken}&hub.challenge=1`;
    expect((await metaGet(new Request(handshake), params(publicId))).status).toBe(404);
    expect(await queuedJobs()).toBe(jobs);
    expect(await tenantModels(org.slug).Conversation.findById(conv._id).lean()).toBeTruthy();
    // A reply queued meanwhile is not sent through it: it fails with the reason in words.
    const m = tenantModels(org.slug);
    await m.Customer.updateOne({ _id: conv.customerId }, { $push: { identities: { channel: 'whatsapp', externalId: '15551230000', inboxId: id } } });
    const reply = await m.ConversationMessage.create({ conversationId: conv._id, direction: 'out', senderType: 'agent', content: 'hello?', status: 'queued' });
    await deliverMessage(org.slug, String(reply._id), { attempt: 1, maxAttempts: 5 });
    expect(await m.ConversationMessage.findById(reply._id).lean()).toMatchObject({ status: 'failed', error: { code: 'inbox_disabled' } });
    // History stays: such an inbox cannot be deleted.
    expect(await outcome(admin.inboxes.delete({ id }))).toBe('CONFLICT');
    await admin.inboxes.update({ id, enabled: true });
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(200);
    expect((await auditActions(org.slug, id)).map((a) => a.action)).toEqual(['inbox.created', 'inbox.disabled', 'inbox.enabled']);
  });

  it('an inbox without conversations can be deleted: its webhook URL is unknown from then on', async () => {
    const { id, publicId } = await org.caller('Admin').inboxes.create(waInput());
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(200);
    await org.caller('Admin').inboxes.delete({ id });
    expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(404);
    expect(await platformModels().InboxRoute.findOne({ publicId }).lean()).toBeNull();
    expect((await org.caller('Admin').inboxes.list()).map((i) => i.id)).not.toContain(id);
    expect((await auditActions(org.slug, id)).map((a) => a.action)).toEqual(['inbox.created', 'inbox.deleted']);
  });
});

it('a change announced by another process over Redis drops this process’s cached copy', async () => {
  const { id, publicId } = await org.caller('Admin').inboxes.create(waInput());
  expect((await resolveInbox(publicId))?.enabled).toBe(true); // cached now
  // Another process stores the change and publishes it (a different origin than ours).
  await tenantModels(org.slug).Inbox.updateOne({ _id: id }, { $set: { enabled: false } });
  expect((await resolveInbox(publicId))?.enabled).toBe(true); // still the cached copy
  const pub = createRedis();
  try {
    await pub.publish(configChannel(), JSON.stringify({ slug: org.slug, reason: `inbox.changed:${publicId}`, at: Date.now(), origin: 'another-process' }));
  } finally {
    pub.disconnect();
  }
  await eventually(async () => (await resolveInbox(publicId))?.enabled === false, 'the cached inbox is dropped');
  expect(await postWa(publicId, META_SECRETS.appSecret)).toBe(404);
});

it('a channel the organisation’s plan does not include cannot be created or re-enabled', async () => {
  const admin = org.caller('Admin');
  const { id } = await admin.inboxes.create(waInput());
  await admin.inboxes.update({ id, enabled: false });
  await platformModels().Organization.updateOne({ slug: org.slug }, { $set: { 'features.whatsapp': false } });
  invalidateOrg(org.slug);
  try {
    expect(await outcome(admin.inboxes.create(waInput()))).toBe('PRECONDITION_FAILED');
    expect(await outcome(admin.inboxes.update({ id, enabled: true }))).toBe('PRECONDITION_FAILED');
    expect(await outcome(admin.inboxes.create({ name: 'Site', provider: 'webchat', channel: 'webchat' }))).toBe('OK');
  } finally {
    await platformModels().Organization.updateOne({ slug: org.slug }, { $set: { 'features.whatsapp': true } });
    invalidateOrg(org.slug);
  }
});
