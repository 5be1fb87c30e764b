import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { getEnv } from '../env';
import { AppError } from '../errors';

/**
 * Application-layer authenticated encryption for organisation secrets (DESIGN section 4.4).
 *
 * Stored form: `enc:v1:<kid>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id makes rotation
 * possible without a flag day; the associated data binds a ciphertext to one organisation and one
 * field, so copying org A's Twilio token into org B (or into another field) fails to decrypt instead
 * of silently working.
 */
const PREFIX = 'enc:v1:';

export interface SecretContext {
  /** Organisation slug, or 'platform' for platform-level secrets (super-admin MFA seeds). */
  scope: string;
  /** Field path, e.g. `twilio.authToken`. */
  field: string;
}

function aad(ctx: SecretContext): Buffer {
  return Buffer.from(`${ctx.scope}\u0000${ctx.field}`, 'utf8');
}

function key(kid: string): Buffer {
  const k = getEnv().ENCRYPTION_KEYS.get(kid);
  if (!k) throw new AppError('INTERNAL', `Master key "${kid}" is not configured (ENCRYPTION_KEYS)`);
  return k;
}

export function activeKeyId(): string {
  return getEnv().ENCRYPTION_ACTIVE_KEY_ID;
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export function encryptSecret(plaintext: string, ctx: SecretContext): string {
  const kid = activeKeyId();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(kid), iv);
  cipher.setAAD(aad(ctx));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url'));
  return `${PREFIX}${kid}:${parts.join(':')}`;
}

export function secretKeyId(stored: string): string | null {
  if (!isEncrypted(stored)) return null;
  return stored.slice(PREFIX.length).split(':')[0] ?? null;
}

export function decryptSecret(stored: string, ctx: SecretContext): string {
  if (!isEncrypted(stored)) throw new AppError('INTERNAL', `Secret ${ctx.field} is not in encrypted form`);
  const [kid, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
  if (!kid || !iv || !tag || ct === undefined) throw new AppError('INTERNAL', `Secret ${ctx.field} is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(kid), Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(ctx));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Wrong key, wrong org/field (AAD) or tampering: all look the same, on purpose.
    throw new AppError('INTERNAL', `Secret ${ctx.field} could not be decrypted for ${ctx.scope}`);
  }
}

/** Re-encrypt under the active key; returns null when it already uses it. */
export function reencryptSecret(stored: string, ctx: SecretContext): string | null {
  if (secretKeyId(stored) === activeKeyId()) return null;
  return encryptSecret(decryptSecret(stored, ctx), ctx);
}
