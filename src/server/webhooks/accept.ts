import { AppError, httpStatusOf, isAppError } from '../errors';
import { resolveInbox, type ResolvedInbox } from '../services/inbox/inboxes';
import { metaHandshake, verifyMetaSignature } from './meta/verify';
import { parseMetaWebhook } from './meta/parse';
import { storeEvents } from './store';
import { parseTwilioWebhook } from './twilio/parse';
import { verifyTwilioSignature } from './twilio/verify';

/**
 * The framework-free webhook handler shared by the Next.js routes and the benchmark's plain HTTP
 * server: inbox lookup (404), signature on the raw bytes (401), parse, durable store, then 200.
 * Nothing is parsed or stored before the signature is checked.
 */
export type WebhookProvider = 'meta' | 'twilio';

export interface WebhookRequest {
  method: string;
  /** The full URL as the provider called it (Twilio signs it). */
  url: string;
  headers: { get(name: string): string | null };
  body: Buffer;
}

export interface WebhookResult {
  status: number;
  body: string;
  contentType: string;
}

const text = (status: number, body: string, contentType = 'text/plain'): WebhookResult => ({ status, body, contentType });

export async function acceptWebhook(provider: WebhookProvider, publicId: string, req: WebhookRequest): Promise<WebhookResult> {
  try {
    const inbox = await resolveInbox(publicId);
    // A disabled inbox answers like an unknown one (as the web-chat routes do): nothing is stored.
    if (!inbox || inbox.provider !== provider || !inbox.enabled) return text(404, 'Unknown inbox');
    if (provider === 'meta') return await acceptMeta(inbox, req);
    return await acceptTwilio(inbox, req);
  } catch (err) {
    if (isAppError(err)) return text(httpStatusOf(err.code), err.message);
    console.error(`[webhooks] ${provider} ${publicId}:`, err);
    return text(503, 'Temporarily unavailable'); // the provider retries; nothing was acknowledged
  }
}

async function acceptMeta(inbox: ResolvedInbox, req: WebhookRequest): Promise<WebhookResult> {
  if (req.method === 'GET') {
    const challenge = metaHandshake(new URL(req.url).searchParams, inbox.meta.verifyToken);
    return challenge === null ? text(403, 'Verification failed') : text(200, challenge);
  }
  if (req.method !== 'POST') return text(405, 'Method not allowed');
  if (!verifyMetaSignature(req.body, req.headers.get('x-hub-signature-256'), inbox.meta.appSecret))
    return text(401, 'Invalid signature');
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'Body is not JSON');
  }
  const events = parseMetaWebhook(body).filter((e) => e.channel === inbox.channel);
  await storeEvents(inbox.slug, inbox.id, events);
  return text(200, 'EVENT_RECEIVED');
}

async function acceptTwilio(inbox: ResolvedInbox, req: WebhookRequest): Promise<WebhookResult> {
  if (req.method !== 'POST') return text(405, 'Method not allowed');
  const params = new URLSearchParams(req.body.toString('utf8'));
  const url = inbox.twilio.webhookUrl ?? req.url;
  if (!verifyTwilioSignature(inbox.twilio.authToken, url, params, req.headers.get('x-twilio-signature')))
    return text(401, 'Invalid signature');
  if (params.get('AccountSid') !== inbox.twilio.accountSid) return text(403, 'Wrong account');
  const channel = inbox.channel === 'twilio_whatsapp' ? 'twilio_whatsapp' : 'sms';
  await storeEvents(inbox.slug, inbox.id, parseTwilioWebhook(params, channel));
  return text(200, '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 'text/xml');
}
