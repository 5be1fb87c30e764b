import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { readOrgSecret } from '../crypto/secret-fields';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { loadOrg } from '../tenancy/org-cache';
import { createDirStore } from './dir-store';
import { createS3Store } from './s3-store';
import type { ObjectStore } from './store';

/**
 * Which backend an organisation's objects go to: its own bucket when it configured one
 * (`org.storage`, provider s3/spaces, secret key decrypted like every org secret), else the platform
 * default (DO_SPACE_*), else, without S3 credentials, the local STORAGE_DIR. Clients are cached per
 * configuration, so a settings change (org:config:updated refreshes loadOrg) makes a new client.
 */
let platformStore: ObjectStore | undefined;
const orgStores = new LRUCache<string, ObjectStore>({ max: 500 });

export function platformObjectStore(): ObjectStore {
  if (platformStore) return platformStore;
  const env = getEnv();
  platformStore =
    env.DO_SPACE_KEY && env.DO_SPACE_SECRET
      ? createS3Store({
          bucket: env.DO_SPACE_BUCKET,
          region: env.DO_SPACE_REGION,
          endpoint: env.DO_SPACE_ENDPOINT,
          accessKeyId: env.DO_SPACE_KEY,
          secretAccessKey: env.DO_SPACE_SECRET,
          pathStyle: env.DO_SPACE_PATH_STYLE,
        })
      : createDirStore(env.STORAGE_DIR);
  return platformStore;
}

export async function objectStoreFor(slug: string): Promise<ObjectStore> {
  const org = await loadOrg(slug);
  if (!org) throw new AppError('NOT_FOUND', `No organisation "${slug}"`);
  const own = org.storage;
  if (!own || own.provider === 'default' || !own.provider) return platformObjectStore();
  if (!own.bucket || !own.accessKeyId || !own.secretAccessKey)
    throw new AppError('PRECONDITION_FAILED', 'The organisation storage settings need a bucket, an access key and a secret key');
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([slug, own.provider, own.bucket, own.region, own.endpoint, own.accessKeyId, own.secretAccessKey]))
    .digest('hex');
  const hit = orgStores.get(fingerprint);
  if (hit) return hit;
  const store = createS3Store({
    bucket: own.bucket,
    region: own.region || 'us-east-1',
    endpoint: own.endpoint || undefined,
    accessKeyId: own.accessKeyId,
    secretAccessKey: readOrgSecret(org, 'storage.secretAccessKey') ?? '',
    pathStyle: true,
  });
  orgStores.set(fingerprint, store);
  return store;
}

/** Tests change the environment between files: forget the clients built from it. */
export function resetObjectStoresForTests(): void {
  platformStore = undefined;
  orgStores.clear();
}
