import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as attachmentGet } from '@/app/api/attachments/[messageId]/[index]/route';
import { POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { POST as twilioPost } from '@/app/api/webhooks/twilio/[inboxId]/route';
import { encryptSecret } from '@/server/crypto/secrets';
import { platformModels } from '@/server/db/models/platform';
import { getEnv, resetEnvForTests } from '@/server/env';
import { closeQueues } from '@/server/queues';
import { closeEmitter } from '@/server/realtime/emit';
import { issueSession } from '@/server/services/identity/sessions';
import { createInbox } from '@/server/services/inbox/inboxes';
import { readObject, resetObjectStoresForTests } from '@/server/storage';
import { tenantModels } from '@/server/tenancy/connections';
import { DEFAULT_ROLES } from '@/server/tenancy/default-roles';
import { invalidateOrg } from '@/server/tenancy/org-cache';
import { isolateRedisPrefix } from '../helpers/prefix';
import { eventually } from '../helpers/processes';
import { startFakeMedia, type FakeMediaServer } from '../support/fake-providers/media';
import { META_SECRETS, metaRequest, orgWithInbox, TWILIO, twilioRequest, waWebhook, wamid } from '../support/inbox-fixtures';
import { startWorkers, type RunningWorkers } from '../../worker/start';
import { startS3Server, type S3TestServer } from './fixtures/s3-server';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Media attachments end to end inside the worker: a signed provider webhook -> ingest -> the
 * inbox-media queue downloads from local fake Graph / Twilio / CDN endpoints -> a local S3 server
 * (which checks every SigV4 signature) -> the message's attachment records key, type, size and
 * sha256 -> an agent fetches it through GET /api/attachments/{messageId}/{index}.
 */
isolateRedisPrefix('inbox-media');
const S3 = { accessKeyId: 'AKIAMEDIATEST', secretAccessKey: 'media/test+secret-key', bucket: 'media-test' };
const MAX = 1024 * 1024; // MEDIA_MAX_BYTES for this file
let s3: S3TestServer;
let media: FakeMediaServer;
let workers: RunningWorkers;

beforeAll(async () => {
  s3 = await startS3Server({ ...S3, region: 'us-east-1', buckets: [S3.bucket] });
  media = await startFakeMedia({ accessToken: META_SECRETS.accessToken, twilio: TWILIO });
  Object.assign(process.env, {
    DO_SPACE_KEY: S3.accessKeyId,
    DO_SPACE_SECRET: S3.secretAccessKey,
    DO_SPACE_ENDPOINT: s3.url,
    DO_SPACE_BUCKET: S3.bucket,
    DO_SPACE_REGION: 'us-east-1',
    META_GRAPH_BASE_URL: media.graphBase,
    MEDIA_MAX_BYTES: String(MAX),
  });
  resetEnvForTests();
  resetObjectStoresForTests();
  await startTenancy();
  workers = startWorkers();
});

afterAll(async () => {
  await workers.stop();
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
  await s3.close();
  await media.close();
  resetObjectStoresForTests();
});

/** An org with default roles, a WhatsApp inbox, an active Admin and an Agent, and their session cookies. */
async function mediaOrg(input: Parameters<typeof orgWithInbox>[0] = {}) {
  const setup = await orgWithInbox(input);
  const jwtSecret = encryptSecret(randomBytes(32).toString('hex'), { scope: setup.slug, field: 'auth.jwtSecret' });
  await platformModels().Organization.updateOne(
    { slug: setup.slug },
    { $set: { roles: DEFAULT_ROLES, 'auth.jwtSecret': jwtSecret } },
  );
  invalidateOrg(setup.slug);
  const m = tenantModels(setup.slug);
  const [admin, agent] = await m.User.create([
    { email: `admin@${setup.slug}.test`, displayName: 'Admin', role: 'Admin', status: 'active' },
    { email: `agent@${setup.slug}.test`, displayName: 'Agent', role: 'Agent', status: 'active' },
  ]);
  const cookie = async (id: unknown) =>
    (await issueSession(setup.slug, String(id))).cookies.map((c) => c.split(';')[0]).join('; ');
  return {
    ...setup,
    host: `${setup.slug}.${getEnv().BASE_DOMAIN}`,
    adminCookie: await cookie(admin!._id),
    agentCookie: await cookie(agent!._id),
  };
}

function addFile(bytes: Buffer, mimeType: string, reportedSize?: number, chunked = false): string {
  const id = `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
  media.files.set(id, { bytes, mimeType, reportedSize, chunked });
  return id;
}

const waImage = (from: string, mediaId: string, extra: Record<string, unknown> = {}) => ({
  from,
  id: wamid(),
  timestamp: String(Math.floor(Date.now() / 1000)),
  type: 'image',
  image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'webhook-hash', caption: 'my receipt', ...extra },
});

async function postWhatsApp(org: Awaited<ReturnType<typeof mediaOrg>>, message: Record<string, unknown>) {
  const body = waWebhook(org.phoneNumberId, {
    messages: [message],
    contacts: [{ profile: { name: 'Ana' }, wa_id: message.from }],
  });
  const res = await metaPost(metaRequest(org.inbox.publicId, body), { params: Promise.resolve({ inboxId: org.inbox.publicId }) });
  expect(res.status).toBe(200);
}

async function messageByProviderId(slug: string, providerMessageId: string) {
  return tenantModels(slug).ConversationMessage.findOne({ providerMessageId }).lean();
}

type Att = {
  status?: string;
  key?: string;
  contentType?: string;
  size?: number;
  sha256?: string;
  filename?: string;
  error?: { code: string; message: string };
};
const attachmentOf = async (slug: string, pid: string, i = 0) =>
  ((await messageByProviderId(slug, pid))?.attachments as unknown as Att[] | undefined)?.[i];

async function settled(slug: string, pid: string, i = 0, timeoutMs = 20_000): Promise<Att> {
  await eventually(
    async () => ['stored', 'failed'].includes((await attachmentOf(slug, pid, i))?.status ?? ''),
    `attachment ${i} of ${pid}`,
    timeoutMs,
  );
  return (await attachmentOf(slug, pid, i))!;
}

function fetchAttachment(
  host: string,
  cookie: string | null,
  messageId: string,
  index = '0',
  headers: Record<string, string> = {},
) {
  const req = new Request(`http://${host}/api/attachments/${messageId}/${index}`, {
    headers: { host, ...(cookie ? { cookie } : {}), ...headers },
  });
  return attachmentGet(req, { params: Promise.resolve({ messageId, index }) });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const usage = async (slug: string) => (await platformModels().Organization.findOne({ slug }).lean())?.usage?.storageBytes ?? 0;

describe('WhatsApp media', () => {
  it('a signed image webhook ends as an object in the org namespace, with its bytes, sha256 and quota counted', async () => {
    const org = await mediaOrg();
    const bytes = randomBytes(48_000);
    const mediaId = addFile(bytes, 'image/jpeg');
    const msg = waImage('15550001234', mediaId);
    await postWhatsApp(org, msg);

    const att = await settled(org.slug, msg.id);
    const stored = await messageByProviderId(org.slug, msg.id);
    expect(att).toMatchObject({ status: 'stored', contentType: 'image/jpeg', size: bytes.length, sha256: sha(bytes) });
    expect(att.key).toBe(`orgs/${org.slug}/media/${String(stored!.conversationId)}/${String(stored!._id)}/0`);
    expect(att.filename).toMatch(/^image-[0-9a-f]{6}-1\.jpg$/);
    expect(stored!.content).toBe('my receipt');
    const object = s3.buckets.get(S3.bucket)!.get(att.key!)!;
    expect(sha(object.body)).toBe(sha(bytes));
    expect(object.contentType).toBe('image/jpeg');
    expect(object.metadata.sha256).toBe(sha(bytes));
    expect(await usage(org.slug)).toBe(bytes.length);
    expect(await tenantModels(org.slug).File.countDocuments({ s3Path: att.key })).toBe(1);
    // The Cloud API flow: lookup with the bearer token, then the download URL with the same token.
    const mine = media.requests.filter((r) => r.path.includes(mediaId));
    expect(mine.map((r) => r.path.split('?')[0])).toEqual([`/v21.0/${mediaId}`, `/whatsapp-cdn/${mediaId}`]);
    expect(mine.every((r) => r.authorization === `Bearer ${META_SECRETS.accessToken}`)).toBe(true);
    expect(media.problems).toEqual([]);
    expect(s3.problems).toEqual([]);

    // The agent workspace fetches it through the authenticated route.
    const res = await fetchAttachment(org.host, org.adminCookie, String(stored!._id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="image-[0-9a-f]{6}-1\.jpg"/);
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(bytes));

    // Media elements seek with Range requests.
    const part = await fetchAttachment(org.host, org.adminCookie, String(stored!._id), '0', { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
  });

  it('a document keeps its file name and is served as a download, never inline', async () => {
    const org = await mediaOrg();
    const bytes = Buffer.from('<html><script>alert(1)</script></html>');
    const mediaId = addFile(bytes, 'text/html');
    const msg = {
      from: '15550004321',
      id: wamid(),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'document',
      document: { id: mediaId, mime_type: 'text/html', filename: 'invoice "march".html' },
    };
    await postWhatsApp(org, msg);
    const att = await settled(org.slug, msg.id);
    expect(att).toMatchObject({ status: 'stored', filename: 'invoice "march".html', size: bytes.length });
    const stored = await messageByProviderId(org.slug, msg.id);
    const res = await fetchAttachment(org.host, org.adminCookie, String(stored!._id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="invoice _march_.html"; filename*=UTF-8''${encodeURIComponent('invoice "march".html')}`,
    );
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('retries a provider 500 and then a 429 (after its Retry-After), then stores the media', async () => {
    const org = await mediaOrg();
    const bytes = randomBytes(5_000);
    const mediaId = addFile(bytes, 'image/png');
    media.script(
      `/v21.0/${mediaId}`,
      {
        status: 500,
        body: { error: { message: 'An unexpected error has occurred. Please retry your request later.', code: 2 } },
      },
      { status: 429, body: { error: { message: '(#130429) Rate limit hit', code: 130429 } }, headers: { 'retry-after': '1' } },
    );
    const msg = waImage('15550005555', mediaId);
    await postWhatsApp(org, msg);
    const att = await settled(org.slug, msg.id, 0, 30_000);
    expect(att).toMatchObject({ status: 'stored', contentType: 'image/png', sha256: sha(bytes) });
    const lookups = media.requests.filter((r) => r.path === `/v21.0/${mediaId}`);
    expect(lookups).toHaveLength(3);
    expect(lookups[2]!.at - lookups[1]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1 honoured
    expect(await usage(org.slug)).toBe(bytes.length); // counted once, whatever the retries
  });

  it('refuses media over the size limit, recording the reason on the attachment and storing nothing', async () => {
    const org = await mediaOrg();
    const mediaId = addFile(randomBytes(MAX + 10), 'video/mp4');
    const msg = { ...waImage('15550006666', mediaId), type: 'video', video: { id: mediaId, mime_type: 'video/mp4' } };
    delete (msg as Record<string, unknown>).image;
    await postWhatsApp(org, msg);
    const att = await settled(org.slug, msg.id);
    expect(att.status).toBe('failed');
    expect(att.error).toEqual({
      code: 'meta:too_large',
      message: `The file is 1.0 MB (${MAX + 10} bytes), larger than the 1.0 MB (${MAX} bytes) limit for attachments`,
    });
    expect(att.key).toBeUndefined();
    expect([...s3.buckets.get(S3.bucket)!.keys()].some((k) => k.startsWith(`orgs/${org.slug}/`))).toBe(false);
    expect(await usage(org.slug)).toBe(0);
    // The download itself was never attempted: the lookup's file_size was enough.
    expect(media.requests.some((r) => r.path.startsWith(`/whatsapp-cdn/${mediaId}`))).toBe(false);
    const stored = await messageByProviderId(org.slug, msg.id);
    const res = await fetchAttachment(org.host, org.adminCookie, String(stored!._id));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/could not be downloaded: The file is 1\.0 MB \(/);
  });

  it('refuses media that would exceed the plan storage, in words, and a lying file_size is caught while downloading', async () => {
    const org = await mediaOrg();
    await platformModels().Organization.updateOne(
      { slug: org.slug },
      { $set: { 'plan.maxStorageMB': 1, 'usage.storageBytes': MAX - 1000 } },
    );
    invalidateOrg(org.slug);
    const overQuota = waImage('15550007777', addFile(randomBytes(4000), 'image/jpeg'));
    const lying = waImage('15550007778', addFile(randomBytes(MAX + 1), 'image/jpeg', 1000, true));
    await postWhatsApp(org, overQuota);
    await postWhatsApp(org, lying);
    const quota = await settled(org.slug, overQuota.id);
    expect(quota.status).toBe('failed');
    expect(quota.error?.code).toBe('storage_quota');
    expect(quota.error?.message).toMatch(/^Plan limit reached: maxStorageMB is 1 MB/);
    const big = await settled(org.slug, lying.id);
    // No Content-Length and a file_size that lies: the download is cut off once it passes the limit.
    expect(big.error).toEqual({ code: 'meta:too_large', message: 'The file is larger than the 1.0 MB limit for attachments' });
    expect(await usage(org.slug)).toBe(MAX - 1000);
  });

  it('records a permanent provider refusal in the provider’s words without retrying', async () => {
    const org = await mediaOrg();
    const msg = waImage('15550008888', 'no-such-media-id');
    await postWhatsApp(org, msg);
    const att = await settled(org.slug, msg.id);
    expect(att.status).toBe('failed');
    expect(att.error).toEqual({
      code: 'meta:100',
      message: 'Looking up the WhatsApp media failed: Unsupported get request. Object does not exist',
    });
    expect(media.requests.filter((r) => r.path === '/v21.0/no-such-media-id')).toHaveLength(1);
  });
});

describe('who may fetch an attachment', () => {
  it('only agents of the organisation who may read the conversation; another org or a guessed address gets 404', async () => {
    const a = await mediaOrg();
    const b = await mediaOrg();
    const bytes = randomBytes(2000);
    const msg = waImage('15550009999', addFile(bytes, 'image/webp'));
    await postWhatsApp(a, msg);
    const att = await settled(a.slug, msg.id);
    const messageId = String((await messageByProviderId(a.slug, msg.id))!._id);

    expect((await fetchAttachment(a.host, a.adminCookie, messageId)).status).toBe(200);
    // B's admin, on B's host, naming A's message: nothing of A's is in B's database.
    expect((await fetchAttachment(b.host, b.adminCookie, messageId)).status).toBe(404);
    // A's session cookie presented on B's host is no session there.
    expect((await fetchAttachment(b.host, a.adminCookie, messageId)).status).toBe(401);
    // An Agent of A sees only conversations assigned to them: this one is not.
    expect((await fetchAttachment(a.host, a.agentCookie, messageId)).status).toBe(404);
    expect((await fetchAttachment(a.host, null, messageId)).status).toBe(401);
    // Guessed addresses: another message id, an index out of range, something that is no id at all.
    expect((await fetchAttachment(a.host, a.adminCookie, 'ffffffffffffffffffffffff')).status).toBe(404);
    expect((await fetchAttachment(a.host, a.adminCookie, messageId, '3')).status).toBe(404);
    expect((await fetchAttachment(a.host, a.adminCookie, '../../orgs', '0')).status).toBe(400);
    // The storage layer itself refuses A's key in B's name.
    await expect(readObject(b.slug, att.key!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readObject(b.slug, `orgs/${b.slug}/../${a.slug}/x`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Messenger and Twilio media', () => {
  it('downloads a Messenger attachment from its payload URL without sending any credentials', async () => {
    const org = await mediaOrg();
    const bytes = randomBytes(3000);
    const id = addFile(bytes, 'audio/MPEG; charset=binary');
    const mid = `m_${randomBytes(8).toString('hex')}`;
    const body = {
      object: 'page',
      entry: [
        {
          id: '104000000001',
          time: Date.now(),
          messaging: [
            {
              sender: { id: '7001' },
              recipient: { id: '104000000001' },
              timestamp: Date.now(),
              message: { mid, attachments: [{ type: 'audio', payload: { url: `${media.url}/cdn/${id}` } }] },
            },
          ],
        },
      ],
    };
    const inbox = await createInbox(org.slug, {
      name: 'Messenger',
      provider: 'meta',
      channel: 'messenger',
      meta: { ...META_SECRETS, pageId: '104000000001' },
    });
    const res = await metaPost(metaRequest(inbox.publicId, body), { params: Promise.resolve({ inboxId: inbox.publicId }) });
    expect(res.status).toBe(200);
    const att = await settled(org.slug, mid);
    expect(att).toMatchObject({ status: 'stored', contentType: 'audio/mpeg', size: bytes.length, sha256: sha(bytes) });
    expect(media.problems).toEqual([]);
  });

  it('downloads Twilio MediaUrl0..N with basic auth, following the redirect to the CDN', async () => {
    const org = await mediaOrg();
    const inbox = await createInbox(org.slug, { name: 'SMS', provider: 'twilio', channel: 'sms', twilio: TWILIO });
    const files = [randomBytes(1500), randomBytes(2500)];
    const ids = files.map((f, i) => {
      const id = `ME${randomBytes(16).toString('hex')}`;
      media.files.set(id, { bytes: f, mimeType: i === 0 ? 'image/gif' : 'application/pdf' });
      return id;
    });
    const sid = `MM${randomBytes(16).toString('hex')}`;
    const mediaUrl = (id: string) => `${media.url}/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${sid}/Media/${id}`;
    const params = {
      MessageSid: sid,
      AccountSid: TWILIO.accountSid,
      From: '+15557770000',
      To: TWILIO.fromNumber,
      Body: 'two files',
      NumMedia: '2',
      MediaUrl0: mediaUrl(ids[0]!),
      MediaContentType0: 'image/gif',
      MediaUrl1: mediaUrl(ids[1]!),
      MediaContentType1: 'application/pdf',
    };
    const res = await twilioPost(twilioRequest(inbox.publicId, params), { params: Promise.resolve({ inboxId: inbox.publicId }) });
    expect(res.status).toBe(200);
    const [first, second] = [await settled(org.slug, sid, 0), await settled(org.slug, sid, 1)];
    expect(first).toMatchObject({ status: 'stored', contentType: 'image/gif', sha256: sha(files[0]!) });
    expect(second).toMatchObject({ status: 'stored', contentType: 'application/pdf', sha256: sha(files[1]!) });
    expect(second.filename).toMatch(/^file-[0-9a-f]{6}-2\.pdf$/);
    expect(media.problems).toEqual([]);
    expect(await usage(org.slug)).toBe(files[0]!.length + files[1]!.length);
  });
});
