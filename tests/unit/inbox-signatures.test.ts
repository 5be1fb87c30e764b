import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { metaHandshake, verifyMetaSignature } from '@/server/webhooks/meta/verify';
import { twilioSignature, verifyTwilioSignature } from '@/server/webhooks/twilio/verify';

describe('Meta X-Hub-Signature-256', () => {
  const secret = 'app-secret';
  const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  const good = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

  it('accepts the HMAC-SHA256 of the exact bytes and nothing else', () => {
    expect(verifyMetaSignature(raw, good, secret)).toBe(true);
    expect(verifyMetaSignature(Buffer.from(raw.toString().replace('[]', '[ ]')), good, secret)).toBe(false); // re-serialised body
    expect(verifyMetaSignature(raw, good, 'other-secret')).toBe(false);
    expect(verifyMetaSignature(raw, good.replace('sha256=', 'sha1='), secret)).toBe(false);
    expect(verifyMetaSignature(raw, 'sha256=abc', secret)).toBe(false); // wrong length, no throw
    expect(verifyMetaSignature(raw, null, secret)).toBe(false);
    expect(verifyMetaSignature(raw, good, undefined)).toBe(false);
  });

  it('echoes the challenge only for subscribe with the right verify token', () => {
    const q = (mode: string, token: string) =>
      new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '42' });
    expect(metaHandshake(q('subscribe', 'tok'), 'tok')).toBe('42');
    expect(metaHandshake(q('subscribe', 'tok2'), 'tok')).toBeNull();
    expect(metaHandshake(q('unsubscribe', 'tok'), 'tok')).toBeNull();
    expect(metaHandshake(q('subscribe', 'tok'), undefined)).toBeNull();
  });
});

describe('Twilio X-Twilio-Signature', () => {
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = new URLSearchParams({
    To: '+18005551212',
    From: '+14158675310',
    CallSid: 'CA1234567890ABCDE',
    Digits: '1234',
    Caller: '+14158675310',
  });

  it('is base64 HMAC-SHA1 over the URL followed by the parameters sorted by name', () => {
    // Written out by hand, independently of the implementation's loop.
    const data = `${url}CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212`;
    const expected = createHmac('sha1', token).update(data).digest('base64');
    expect(twilioSignature(token, url, params)).toBe(expected);
    expect(verifyTwilioSignature(token, url, params, expected)).toBe(true);
  });

  it('fails for another URL, a changed parameter, another token or no header', () => {
    const sig = twilioSignature(token, url, params);
    expect(verifyTwilioSignature(token, url.replace('https', 'http'), params, sig)).toBe(false);
    const changed = new URLSearchParams(params);
    changed.set('Digits', '1235');
    expect(verifyTwilioSignature(token, url, changed, sig)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, sig)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, null)).toBe(false);
  });
});
