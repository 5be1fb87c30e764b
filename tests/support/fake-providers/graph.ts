import { startFakeServer, type FakeServer, type Recorded } from './server';

/**
 * Fake Meta Graph API (version prefix /v21.0): `POST /{phone-number-id}/messages` for WhatsApp and
 * `POST /{page-or-ig-id}/messages` for Messenger/Instagram, checked like the real one: bearer token,
 * JSON body with the fields the Cloud API / Send API require. Answers in Graph's shapes.
 */
export interface FakeGraphOptions {
  accessToken: string;
  /** Ids this fake knows: WhatsApp phone number ids and page / Instagram account ids. */
  phoneNumberIds?: string[];
  accountIds?: string[];
  port?: number;
}

const graphError = (message: string, code = 100) => ({
  status: 400,
  body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'Afake' } },
});

export function checkGraphRequest(opts: FakeGraphOptions, req: Recorded): string | null {
  const m = /^\/v\d+\.\d+\/([^/?]+)\/messages$/.exec(req.path);
  if (req.method !== 'POST' || !m) return `unexpected ${req.method} ${req.path}`;
  if (req.headers.authorization !== `Bearer ${opts.accessToken}`) return 'missing or wrong bearer token';
  if (!String(req.headers['content-type']).startsWith('application/json')) return 'content-type must be application/json';
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  const id = m[1]!;
  if (opts.phoneNumberIds?.includes(id)) {
    if (body.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
    if (typeof body.to !== 'string' || !/^\d{6,15}$/.test(body.to)) return 'to must be a phone number (digits)';
    if (body.type === 'text')
      return typeof (body.text as { body?: unknown } | undefined)?.body === 'string' ? null : 'text.body is required';
    if (body.type === 'template') {
      const t = body.template as { name?: unknown; language?: { code?: unknown } } | undefined;
      return typeof t?.name === 'string' && typeof t.language?.code === 'string'
        ? null
        : 'template.name and template.language.code are required';
    }
    return `unsupported type ${String(body.type)}`;
  }
  if (opts.accountIds?.includes(id)) {
    const recipient = (body.recipient as { id?: unknown } | undefined)?.id;
    if (typeof recipient !== 'string') return 'recipient.id is required';
    if (body.messaging_type !== 'RESPONSE' && !(body.messaging_type === 'MESSAGE_TAG' && body.tag === 'HUMAN_AGENT'))
      return 'messaging_type must be RESPONSE or MESSAGE_TAG with a tag';
    return typeof (body.message as { text?: unknown } | undefined)?.text === 'string' ? null : 'message.text is required';
  }
  return `unknown object id ${id}`;
}

export function startFakeGraph(opts: FakeGraphOptions): Promise<FakeServer> {
  return startFakeServer(
    (req) => checkGraphRequest(opts, req),
    (req, n) => {
      const body = JSON.parse(req.body) as { to?: string; recipient?: { id: string } };
      if (body.to)
        return {
          status: 200,
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: body.to, wa_id: body.to }],
            messages: [{ id: `wamid.FAKE${n}${Date.now()}` }],
          },
        };
      return { status: 200, body: { recipient_id: body.recipient?.id, message_id: `m_FAKE${n}${Date.now()}` } };
    },
    (problem) => graphError(problem),
    opts.port,
  );
}

/** Graph's throttling answer (WhatsApp "throughput reached"), optionally with Retry-After. */
export const graphRateLimited = (retryAfterSeconds?: number) => ({
  status: 429,
  body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'Afake' } },
  headers: retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
});

/** A permanent refusal: recipient not a valid WhatsApp user. */
export const graphPermanentError = () => ({
  status: 400,
  body: {
    error: {
      message: '(#131026) Message undeliverable',
      type: 'OAuthException',
      code: 131026,
      error_data: { details: 'Receiver is incapable of receiving this message' },
      fbtrace_id: 'Afake',
    },
  },
});
