import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptSecret } from '@/server/crypto/secrets';
import { platformModels } from '@/server/db/models/platform';
import { resetEnvForTests } from '@/server/env';
import {
  deleteObject,
  mediaKey,
  orgKey,
  readObject,
  resetObjectStoresForTests,
  storeObject,
  type ObjectRead,
} from '@/server/storage';
import { invalidateOrg } from '@/server/tenancy/org-cache';
import { createTestOrg } from '../helpers/orgs';
import { startS3Server, type S3TestServer } from './fixtures/s3-server';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/**
 * The storage service on its own: an organisation's own bucket (its settings, its encrypted secret)
 * wins over the platform default; the local-directory default of development behaves like S3 (bytes,
 * type, ranges); the plan quota moves with every store and delete; keys outside the organisation's
 * namespace are refused before any backend is asked.
 */
const PLATFORM = { accessKeyId: 'AKIAPLATFORM', secretAccessKey: 'platform-secret', bucket: 'platform-bucket' };
const OWN = { accessKeyId: 'AKIAORGOWN', secretAccessKey: 'org-own-secret/+=', bucket: 'org-own-bucket' };
let platformS3: S3TestServer;
let ownS3: S3TestServer;
let dir: string;

async function text(obj: ObjectRead): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const usage = async (slug: string) => (await platformModels().Organization.findOne({ slug }).lean())?.usage?.storageBytes ?? 0;

beforeAll(async () => {
  platformS3 = await startS3Server({ ...PLATFORM, region: 'us-east-1', buckets: [PLATFORM.bucket] });
  ownS3 = await startS3Server({ ...OWN, region: 'eu-west-1', buckets: [OWN.bucket] });
  dir = await mkdtemp(path.join(tmpdir(), 'media-store-'));
  await startTenancy();
});

afterAll(async () => {
  await stopTenancy();
  await platformS3.close();
  await ownS3.close();
  await rm(dir, { recursive: true, force: true });
  resetObjectStoresForTests();
});

function usePlatformS3() {
  Object.assign(process.env, {
    DO_SPACE_KEY: PLATFORM.accessKeyId,
    DO_SPACE_SECRET: PLATFORM.secretAccessKey,
    DO_SPACE_ENDPOINT: platformS3.url,
    DO_SPACE_BUCKET: PLATFORM.bucket,
    DO_SPACE_REGION: 'us-east-1',
  });
  resetEnvForTests();
  resetObjectStoresForTests();
}

describe('object storage', () => {
  it("an organisation's own bucket (with its encrypted secret) takes its objects; others stay on the platform bucket", async () => {
    usePlatformS3();
    const own = await createTestOrg();
    const other = await createTestOrg();
    await platformModels().Organization.updateOne(
      { slug: own },
      {
        $set: {
          storage: {
            provider: 's3',
            bucket: OWN.bucket,
            region: 'eu-west-1',
            endpoint: ownS3.url,
            accessKeyId: OWN.accessKeyId,
            secretAccessKey: encryptSecret(OWN.secretAccessKey, { scope: own, field: 'storage.secretAccessKey' }),
          },
        },
      },
    );
    invalidateOrg(own);
    const k1 = orgKey(own, 'media', 'c1', 'm1', '0');
    const k2 = orgKey(other, 'media', 'c1', 'm1', '0');
    expect(await storeObject(own, k1, Buffer.from('mine'), 'text/plain')).toMatchObject({ key: k1, size: 4 });
    await storeObject(other, k2, Buffer.from('theirs'), 'text/plain');
    expect(ownS3.buckets.get(OWN.bucket)!.get(k1)?.body.toString()).toBe('mine');
    expect(platformS3.buckets.get(PLATFORM.bucket)!.has(k1)).toBe(false);
    expect(platformS3.buckets.get(PLATFORM.bucket)!.get(k2)?.body.toString()).toBe('theirs');
    expect(await text(await readObject(own, k1))).toBe('mine');
    expect([...ownS3.problems, ...platformS3.problems]).toEqual([]);
  });

  it('counts stores and deletes against the plan, and refuses a store over maxStorageMB without writing', async () => {
    usePlatformS3();
    const slug = await createTestOrg(); // plan.maxStorageMB = 100
    const key = mediaKey(slug, 'c', 'm', 0);
    const stored = await storeObject(slug, key, Buffer.alloc(1000, 1), 'application/octet-stream');
    expect(stored.sha256).toBe('353c38352a855c80f4ecb0793a76493228541b5fab5ef7af26effac91e77ec46');
    expect(await usage(slug)).toBe(1000);
    await deleteObject(slug, key, 1000);
    expect(await usage(slug)).toBe(0);
    expect(platformS3.buckets.get(PLATFORM.bucket)!.has(key)).toBe(false);

    await platformModels().Organization.updateOne({ slug }, { $set: { 'usage.storageBytes': 100 * 1024 * 1024 - 10 } });
    await expect(storeObject(slug, mediaKey(slug, 'c', 'm', 1), Buffer.alloc(11), 'text/plain')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 'maxStorageMB' },
    });
    expect(platformS3.buckets.get(PLATFORM.bucket)!.has(mediaKey(slug, 'c', 'm', 1))).toBe(false);
  });

  it('refuses keys outside the organisation namespace on every call', async () => {
    usePlatformS3();
    const a = await createTestOrg();
    const b = await createTestOrg();
    const before = platformS3.requests.length;
    for (const key of [`orgs/${b}/media/x`, `orgs/${a}/../${b}/media/x`, `orgs/${a}`, `/etc/passwd`, `orgs/${a}/media//x`]) {
      await expect(storeObject(a, key, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(readObject(a, key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(platformS3.requests.length).toBe(before); // refused before S3 was asked
    expect(() => orgKey(a, '..')).toThrow(/Invalid object key segment/);
  });

  it('without S3 credentials, keeps objects in STORAGE_DIR with their type and serves ranges (development default)', async () => {
    for (const v of ['DO_SPACE_KEY', 'DO_SPACE_SECRET', 'DO_SPACE_ENDPOINT']) delete process.env[v];
    process.env.STORAGE_DIR = dir;
    resetEnvForTests();
    resetObjectStoresForTests();
    const slug = await createTestOrg();
    const key = mediaKey(slug, 'c', 'm', 0);
    await storeObject(slug, key, Buffer.from('hello, storage'), 'audio/ogg');
    const whole = await readObject(slug, key);
    expect(whole.contentType).toBe('audio/ogg');
    expect(whole.contentLength).toBe(14);
    expect(await text(whole)).toBe('hello, storage');
    const part = await readObject(slug, key, { start: 7 });
    expect(part.contentRange).toBe('bytes 7-13/14');
    expect(await text(part)).toBe('storage');
    await deleteObject(slug, key, 14);
    await expect(readObject(slug, key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
