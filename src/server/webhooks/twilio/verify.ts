import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request validation: base64(HMAC-SHA1(auth token, full URL + each POST parameter name and
 * value, sorted by name)) must equal `X-Twilio-Signature`. Parameters come from the raw form body,
 * which is read before and independently of any other parsing.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].sort();
  let data = url;
  for (const key of keys) for (const value of params.getAll(key).sort()) data += key + value;
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function verifyTwilioSignature(
  authToken: string | undefined,
  url: string,
  params: URLSearchParams,
  header: string | null,
): boolean {
  if (!authToken || !header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
