import { getEnv } from '../env';
import { parseRetryAfter, ProviderError, providerFetch } from './provider-error';

/**
 * Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form
 * encoded, HTTP Basic with the account SID and auth token. Base URL from TWILIO_BASE_URL.
 */
const TRANSIENT_CODES = new Set(['20429', '20500', '20503', '30001', '30500']);

export interface TwilioMessage {
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  statusCallback?: string;
}

export async function sendTwilioMessage(m: TwilioMessage): Promise<{ providerMessageId: string }> {
  const form = new URLSearchParams({ To: m.to, From: m.from, Body: m.body });
  if (m.statusCallback) form.set('StatusCallback', m.statusCallback);
  const res = await providerFetch(
    'twilio',
    `${getEnv().TWILIO_BASE_URL}/2010-04-01/Accounts/${encodeURIComponent(m.accountSid)}/Messages.json`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${m.accountSid}:${m.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    },
  );
  const json = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (res.ok && json.sid) return { providerMessageId: json.sid };
  const code = String(json.code ?? res.status);
  const retryable = res.status === 429 || res.status >= 500 || TRANSIENT_CODES.has(code);
  throw new ProviderError(
    'twilio',
    code,
    json.message ?? `HTTP ${res.status}`,
    retryable,
    parseRetryAfter(res.headers.get('retry-after')),
    res.status,
  );
}
