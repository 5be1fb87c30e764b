import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateAllSecrets } from '@/server/crypto/rotate';
import { readOrgSecret } from '@/server/crypto/secret-fields';
import { secretKeyId } from '@/server/crypto/secrets';
import { platformModels } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import { loadOrg } from '@/server/tenancy/org-cache';
import { orgSecretStatus, setOrgSecrets } from '@/server/tenancy/org-settings';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { getPublicOrgConfig } from '@/server/tenancy/public-config';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

// Rotation rewrites every organisation in the platform database: use one of our own so test files
// running in parallel (with the default key) never see ciphertexts under a key they do not have.
const platformDbName = `platform_secrets_${randomBytes(4).toString('hex')}`;
const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const slug = randomSlug('sec');
const op = { type: 'superadmin' as const, email: 'ops@platform.test' };
const SECRETS = {
  'twilio.authToken': 'PLAINTEXT-twilio-token-7d1e',
  'storage.secretAccessKey': 'PLAINTEXT-s3-secret-91ab',
  'email.apiKey': 'PLAINTEXT-sendgrid-key-55cc',
  'meta.appSecret': 'PLAINTEXT-meta-app-secret-a0a0',
  'auth.oidc.clientSecret': 'PLAINTEXT-oidc-client-secret-b1b1',
};

beforeAll(async () => {
  process.env.PLATFORM_DB_NAME = platformDbName;
  process.env.ENCRYPTION_KEYS = `k1:${key(11)}`;
  process.env.ENCRYPTION_ACTIVE_KEY_ID = 'k1';
  resetEnvForTests();
  await startTenancy();
  await provisionOrganization({
    slug,
    name: 'Secret Org',
    auth: {
      method: 'oidc',
      oidc: { issuer: 'https://idp.example.com', clientId: 'client-1', clientSecret: 'PLAINTEXT-initial-oidc-3c3c' },
    },
    firstAdmin: { email: 'admin@sec.io' },
  });
  await setOrgSecrets(slug, SECRETS, op);
});
afterAll(stopTenancy);

describe('organisation secrets', () => {
  it('are stored encrypted: a raw read of every database finds no plaintext', async () => {
    const client = await MongoClient.connect(process.env.MONGO_URI!);
    try {
      for (const dbName of [platformDbName, `org_${slug}_db`]) {
        const db = client.db(dbName);
        for (const { name } of await db.listCollections().toArray()) {
          const dump = JSON.stringify(await db.collection(name).find().toArray());
          expect(dump).not.toContain('PLAINTEXT');
        }
      }
      const raw = await client.db(platformDbName).collection('organizations').findOne({ slug });
      expect(raw?.twilio?.authToken).toMatch(/^enc:v1:k1:/);
      expect(raw?.auth?.jwtSecret).toMatch(/^enc:v1:k1:/);
    } finally {
      await client.close();
    }
  });

  it('decrypt for the services that need them, and never leave through toJSON, public config or audit', async () => {
    const org = (await loadOrg(slug))!;
    for (const [path, value] of Object.entries(SECRETS)) expect(readOrgSecret(org, path as keyof typeof SECRETS)).toBe(value);
    const doc = await platformModels().Organization.findOne({ slug });
    const json = JSON.stringify(doc!.toJSON());
    expect(json).not.toMatch(/enc:v1|PLAINTEXT/);
    expect(json).toContain('client-1'); // non-secret settings are still there
    expect(JSON.stringify(await getPublicOrgConfig(slug))).not.toMatch(/enc:v1|PLAINTEXT|client-1/);
    expect(await orgSecretStatus(slug)).toMatchObject({ 'twilio.authToken': true, 'email.smtpPassword': false });
    const audit = await platformModels().PlatformAuditLog.findOne({ orgSlug: slug, action: 'org.secrets.updated' }).lean();
    expect(audit?.details).toMatchObject({ set: expect.arrayContaining(['twilio.authToken']) });
  });

  it('copying a ciphertext to another organisation or field does not decrypt', async () => {
    const org = (await loadOrg(slug))!;
    expect(() => readOrgSecret({ ...org, slug: 'other-org' }, 'twilio.authToken')).toThrow(/could not be decrypted/);
    const moved = { ...org, email: { apiKey: org.twilio?.authToken } } as typeof org;
    expect(() => readOrgSecret(moved, 'email.apiKey')).toThrow(/could not be decrypted/);
  });

  it('rotate re-encrypts every secret to the active key; the old key can then be removed', async () => {
    process.env.ENCRYPTION_KEYS = `k1:${key(11)},k2:${key(12)}`;
    process.env.ENCRYPTION_ACTIVE_KEY_ID = 'k2';
    resetEnvForTests();
    const report = await rotateAllSecrets();
    expect(report.failed).toEqual([]);
    expect(report.rotated).toBe(Object.keys(SECRETS).length + 1); // + the per-org jwtSecret
    expect((await rotateAllSecrets()).rotated).toBe(0); // idempotent
    process.env.ENCRYPTION_KEYS = `k2:${key(12)}`;
    resetEnvForTests();
    const raw = await platformModels().Organization.findOne({ slug }).lean();
    expect(secretKeyId(raw!.twilio!.authToken!)).toBe('k2');
    const org = (await loadOrg(slug))!;
    expect(readOrgSecret(org, 'storage.secretAccessKey')).toBe(SECRETS['storage.secretAccessKey']);
  });
});
