import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { releaseStorage, reserveStorage } from '../tenancy/plan-limits';
import { isOrgKey } from './keys';
import type { ByteRange, ObjectRead } from './store';
import { objectStoreFor } from './stores';

/**
 * The storage service: an organisation's objects, counted toward its plan (decision 9: the quota
 * is reserved atomically before the bytes are written and released if the write fails), with
 * content type, size and sha256 recorded. Keys outside the organisation's namespace are refused
 * on every call, so a key taken from another tenant (or guessed) reaches nothing.
 */
export interface StoredObject {
  key: string;
  contentType: string;
  size: number;
  sha256: string;
}

function checkKey(slug: string, key: string): void {
  if (!isOrgKey(slug, key)) throw new AppError('NOT_FOUND', 'No such object');
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Reserves the bytes on the plan, then writes; throws PAYLOAD_TOO_LARGE (in words) over the quota. */
export async function storeObject(slug: string, key: string, body: Buffer, contentType: string): Promise<StoredObject> {
  checkKey(slug, key);
  const store = await objectStoreFor(slug);
  const sha256 = sha256Hex(body);
  await reserveStorage(slug, body.length);
  try {
    await store.put({ key, body, contentType, sha256 });
  } catch (err) {
    await releaseStorage(slug, body.length);
    throw err;
  }
  return { key, contentType, size: body.length, sha256 };
}

/** Streams an object of this organisation; NOT_FOUND for a missing key or one of another namespace. */
export async function readObject(slug: string, key: string, range?: ByteRange): Promise<ObjectRead> {
  checkKey(slug, key);
  const found = await (await objectStoreFor(slug)).get(key, range);
  if (!found) throw new AppError('NOT_FOUND', 'No such object');
  return found;
}

/** Deletes and gives the bytes back to the plan. */
export async function deleteObject(slug: string, key: string, size: number): Promise<void> {
  checkKey(slug, key);
  await (await objectStoreFor(slug)).delete(key);
  await releaseStorage(slug, size);
}
