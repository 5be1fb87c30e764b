import { afterEach, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, isEncrypted, reencryptSecret, secretKeyId } from '@/server/crypto/secrets';
import { deletePaths, secretStatus, secretUpdate } from '@/server/crypto/secret-fields';
import { resetEnvForTests } from '@/server/env';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const saved = { keys: process.env.ENCRYPTION_KEYS, active: process.env.ENCRYPTION_ACTIVE_KEY_ID };

function useKeys(keys: string, active: string) {
  process.env.ENCRYPTION_KEYS = keys;
  process.env.ENCRYPTION_ACTIVE_KEY_ID = active;
  resetEnvForTests();
}

afterEach(() => {
  if (saved.keys === undefined) delete process.env.ENCRYPTION_KEYS;
  else process.env.ENCRYPTION_KEYS = saved.keys;
  if (saved.active === undefined) delete process.env.ENCRYPTION_ACTIVE_KEY_ID;
  else process.env.ENCRYPTION_ACTIVE_KEY_ID = saved.active;
  resetEnvForTests();
});

describe('secrets (AES-256-GCM, key id, org+field as associated data)', () => {
  const ctx = { scope: 'acme', field: 'twilio.authToken' };

  it('round-trips and never contains the plaintext', () => {
    useKeys(`k1:${key(1)}`, 'k1');
    const stored = encryptSecret('s3cr3t-token-value', ctx);
    expect(isEncrypted(stored)).toBe(true);
    expect(stored).not.toContain('s3cr3t');
    expect(secretKeyId(stored)).toBe('k1');
    expect(decryptSecret(stored, ctx)).toBe('s3cr3t-token-value');
    expect(encryptSecret('s3cr3t-token-value', ctx)).not.toBe(stored); // fresh IV each time
  });

  it('fails for another organisation, another field, or a tampered ciphertext', () => {
    useKeys(`k1:${key(1)}`, 'k1');
    const stored = encryptSecret('value', ctx);
    expect(() => decryptSecret(stored, { ...ctx, scope: 'other-org' })).toThrow(/could not be decrypted/);
    expect(() => decryptSecret(stored, { ...ctx, field: 'email.apiKey' })).toThrow(/could not be decrypted/);
    const parts = stored.split(':');
    const ct = Buffer.from(parts[5]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[5] = ct.toString('base64url');
    expect(() => decryptSecret(parts.join(':'), ctx)).toThrow(/could not be decrypted/);
    expect(() => decryptSecret('plain', ctx)).toThrow(/not in encrypted form/);
  });

  it('rotates to a new master key and keeps old ciphertexts readable until re-encrypted', () => {
    useKeys(`old:${key(1)}`, 'old');
    const stored = encryptSecret('rotate-me', ctx);
    useKeys(`old:${key(1)},new:${key(2)}`, 'new');
    expect(decryptSecret(stored, ctx)).toBe('rotate-me');
    const rotated = reencryptSecret(stored, ctx)!;
    expect(secretKeyId(rotated)).toBe('new');
    expect(reencryptSecret(rotated, ctx)).toBeNull();
    useKeys(`new:${key(2)}`, 'new');
    expect(decryptSecret(rotated, ctx)).toBe('rotate-me');
    expect(() => decryptSecret(stored, ctx)).toThrow(/Master key "old" is not configured/);
  });

  it('write-only helpers: encrypted updates, status booleans, stripped output', () => {
    useKeys(`k1:${key(1)}`, 'k1');
    const { $set, $unset } = secretUpdate('acme', {
      'twilio.authToken': 'tok',
      'email.apiKey': null,
      'storage.secretAccessKey': undefined,
    });
    expect(Object.keys($set)).toEqual(['twilio.authToken']);
    expect($set['twilio.authToken']).toMatch(/^enc:v1:k1:/);
    expect($unset).toEqual({ 'email.apiKey': '' });
    const org = { twilio: { authToken: $set['twilio.authToken'], accountSid: 'AC1' }, email: {} };
    expect(secretStatus(org)).toMatchObject({ 'twilio.authToken': true, 'email.apiKey': false });
    expect(deletePaths(structuredClone(org), ['twilio.authToken'])).toEqual({ twilio: { accountSid: 'AC1' }, email: {} });
  });
});
