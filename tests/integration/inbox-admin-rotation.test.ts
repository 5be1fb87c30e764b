import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POST as metaPost } from '@/app/api/webhooks/meta/[inboxId]/route';
import { rotateAllSecrets, secretKeyUsage } from '@/server/crypto/rotate';
import { secretKeyId } from '@/server/crypto/secrets';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import { closeQueues } from '@/server/queues';
import { createInbox, resolveInbox } from '@/server/services/inbox/inboxes';
import { tenantModels } from '@/server/tenancy/connections';
import { createTestOrg } from '../helpers/orgs';
import { isolateRedisPrefix } from '../helpers/prefix';
import { META_SECRETS, metaRequest, TWILIO, waText, waWebhook } from '../support/inbox-fixtures';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * Master-key rotation covers provider inbox secrets (tenant databases), not only organisation
 * fields: after `rotateAllSecrets` the old key can be removed and webhooks still verify.
 */
// Rotation walks every organisation of the platform database: use our own, as tenancy-secrets does.
const platformDbName = `platform_inboxrot_${randomBytes(4).toString('hex')}`;
const key = (n: number) => Buffer.alloc(32, n).toString('base64');
let slug: string;

beforeAll(async () => {
  isolateRedisPrefix('inbox-rotation');
  process.env.PLATFORM_DB_NAME = platformDbName;
  process.env.ENCRYPTION_KEYS = `k1:${key(21)}`;
  process.env.ENCRYPTION_ACTIVE_KEY_ID = 'k1';
  resetEnvForTests();
  await startTenancy();
  await ensurePlatformIndexes();
  slug = await createTestOrg();
});
afterAll(async () => {
  await closeQueues();
  await stopTenancy();
});

it('re-encrypts every inbox secret under the new key; the old key can then be removed', async () => {
  const wa = await createInbox(slug, { name: 'WA', provider: 'meta', channel: 'whatsapp', meta: { ...META_SECRETS, phoneNumberId: '1077' } });
  const sms = await createInbox(slug, { name: 'SMS', provider: 'twilio', channel: 'sms', twilio: TWILIO });
  expect((await resolveInbox(wa.publicId))?.meta.appSecret).toBe(META_SECRETS.appSecret); // cached under k1

  process.env.ENCRYPTION_KEYS = `k1:${key(21)},k2:${key(22)}`;
  process.env.ENCRYPTION_ACTIVE_KEY_ID = 'k2';
  resetEnvForTests();
  expect(await secretKeyUsage()).toEqual({ k1: 4 }); // 3 Meta + 1 Twilio (this bare org has no secrets of its own)
  const report = await rotateAllSecrets();
  expect(report.failed).toEqual([]);
  expect(report.rotated).toBe(4);
  expect((await rotateAllSecrets()).rotated).toBe(0); // idempotent
  expect(await secretKeyUsage()).toEqual({ k2: 4 });

  process.env.ENCRYPTION_KEYS = `k2:${key(22)}`;
  resetEnvForTests();
  const raw = await tenantModels(slug).Inbox.findById(wa.id).lean();
  for (const v of [raw?.meta?.appSecret, raw?.meta?.verifyToken, raw?.meta?.accessToken]) expect(secretKeyId(v!)).toBe('k2');
  expect(secretKeyId((await tenantModels(slug).Inbox.findById(sms.id).lean())!.twilio!.authToken!)).toBe('k2');
  // The rotation announced itself: the next lookup decrypts the new ciphertexts with k2 alone.
  expect((await resolveInbox(sms.publicId))?.twilio.authToken).toBe(TWILIO.authToken);
  const body = JSON.stringify(waWebhook('1077', { messages: [waText('15551230000', 'after rotation')] }));
  const res = await metaPost(metaRequest(wa.publicId, body), { params: Promise.resolve({ inboxId: wa.publicId }) });
  expect(res.status).toBe(200);
});
