import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { decryptSecret, encryptSecret } from '../../crypto/secrets';
import { redis, rkey } from '../../redis';

/**
 * TOTP (RFC 6238, 30 s, 6 digits, SHA-1: what every authenticator app speaks). Seeds are stored
 * encrypted (scope 'platform', bound to the admin). A code is accepted once: the last accepted time
 * step is kept in Redis and later verifications must be for a newer step, so a code seen over a
 * shoulder or replayed from a log is worthless.
 */
const ISSUER = 'Customer Ops platform';
/** One step either side: tolerates a phone clock 30 s off. */
const TOLERANCE_SECONDS = 30;

const field = (adminId: string) => `superAdmin.${adminId}.mfaSecret`;
const lastStepKey = (adminId: string) => rkey('platform-auth', 'totp-step', adminId);

export function newTotpSecret(): string {
  return generateSecret();
}

export function sealTotpSecret(adminId: string, secret: string): string {
  return encryptSecret(secret, { scope: 'platform', field: field(adminId) });
}

export function openTotpSecret(adminId: string, sealed: string): string {
  return decryptSecret(sealed, { scope: 'platform', field: field(adminId) });
}

export async function totpQr(email: string, secret: string): Promise<{ uri: string; qrDataUrl: string }> {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  return { uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

// Sets the step only if it is newer than the stored one: two concurrent uses of one code cannot both win.
const ADVANCE = `local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** True when `code` is valid now and was never accepted before for this admin. */
export async function checkTotp(adminId: string, secret: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const r = redis();
  const last = Number((await r.get(lastStepKey(adminId))) ?? -1);
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOLERANCE_SECONDS,
    ...(last >= 0 ? { afterTimeStep: last } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return false;
  return (await r.eval(ADVANCE, 1, lastStepKey(adminId), String(result.timeStep), '300')) === 1;
}
