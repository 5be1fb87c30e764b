import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * The check runs on the exact bytes received, before any JSON parsing, and compares in constant time.
 */
export function verifyMetaSignature(raw: Uint8Array, header: string | null, appSecret: string | undefined): boolean {
  if (!header || !appSecret || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GET subscription handshake: echo hub.challenge when mode and verify token match. */
export function metaHandshake(params: URLSearchParams, verifyToken: string | undefined): string | null {
  const token = params.get('hub.verify_token');
  const challenge = params.get('hub.challenge');
  if (params.get('hub.mode') !== 'subscribe' || !verifyToken || !token || challenge === null) return null;
  const a = Buffer.from(token);
  const b = Buffer.from(verifyToken);
  return a.length === b.length && timingSafeEqual(a, b) ? challenge : null;
}
