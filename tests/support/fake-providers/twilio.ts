import { startFakeServer, type FakeServer, type Recorded } from './server';

/**
 * Fake Twilio Messaging API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic
 * auth with the account SID and auth token, form-encoded To/From/Body. Answers 201 with a message
 * resource, or Twilio's error JSON.
 */
export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
}

export function checkTwilioRequest(opts: FakeTwilioOptions, req: Recorded): string | null {
  if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${opts.accountSid}/Messages.json`)
    return `unexpected ${req.method} ${req.path}`;
  const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  if (req.headers.authorization !== expected) return 'wrong basic auth';
  if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
    return 'content-type must be form encoded';
  const form = new URLSearchParams(req.body);
  if (!form.get('To') || !form.get('From')) return "A 'To' and 'From' phone number is required.";
  if (!form.get('Body') && !form.get('MediaUrl') && !form.get('ContentSid')) return 'Message body is required.';
  return null;
}

export function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeServer> {
  return startFakeServer(
    (req) => checkTwilioRequest(opts, req),
    (req, n) => {
      const form = new URLSearchParams(req.body);
      return {
        status: 201,
        body: {
          sid: `SM${String(n).padStart(32, '0')}`,
          status: 'queued',
          to: form.get('To'),
          from: form.get('From'),
          body: form.get('Body'),
          account_sid: opts.accountSid,
        },
      };
    },
    (problem) => ({
      status: 400,
      body: { code: 21604, message: problem, more_info: 'https://www.twilio.com/docs/errors/21604', status: 400 },
    }),
  );
}
