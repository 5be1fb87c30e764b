import { getEnv } from '../../env';
import { parseRetryAfter, ProviderError, providerFetch } from '../../providers/provider-error';
import type { ResolvedInbox } from './inboxes';

/**
 * Downloading one attachment from the provider that sent it:
 * - WhatsApp Cloud API: `GET {graph}/{media-id}` with the inbox's access token answers a short-lived
 *   `url` (and mime_type, file_size); `GET url` with the same bearer token answers the bytes.
 * - Messenger / Instagram: the attachment's `payload.url` (a signed CDN URL, no token).
 * - Twilio: `MediaUrlN` with HTTP Basic (account SID, auth token); Twilio redirects to its CDN and
 *   fetch drops the Authorization header on the cross-origin hop, as it should.
 * Errors are ProviderErrors in words: rate limits and outages retryable (Retry-After honoured by
 * the queue's `provider` backoff), refusals and oversized files permanent.
 */
export interface MediaRef {
  kind: string;
  mediaId?: string;
  url?: string;
  mimeType?: string;
  filename?: string;
}

export interface FetchedMedia {
  bytes: Buffer;
  contentType: string;
}

type Provider = 'meta' | 'twilio';
const META_RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429]);
const MB = 1024 * 1024;

export const sizeInWords = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function tooLarge(provider: Provider, size: number | undefined, max: number): ProviderError {
  // Sizes just over the limit round to the same words: then the exact bytes say it.
  const exact = size !== undefined && sizeInWords(size) === sizeInWords(max);
  const limit = exact ? `${sizeInWords(max)} (${max} bytes)` : sizeInWords(max);
  const what =
    size === undefined
      ? 'The file is larger than'
      : `The file is ${sizeInWords(size)}${exact ? ` (${size} bytes)` : ''}, larger than`;
  return new ProviderError(provider, 'too_large', `${what} the ${limit} limit for attachments`, false);
}

/** A failed HTTP answer -> ProviderError with the provider's own message when it sent one. */
async function httpError(provider: Provider, res: Response, what: string): Promise<ProviderError> {
  const json = (await res.json().catch(() => ({}))) as {
    error?: { code?: number; message?: string; error_data?: { details?: string } };
    code?: number;
    message?: string;
  };
  const graphCode = json.error?.code;
  const code = String(graphCode ?? json.code ?? res.status);
  const detail = json.error?.error_data?.details ?? json.error?.message ?? json.message;
  const rateLimited = res.status === 429 || (graphCode !== undefined && META_RATE_LIMIT_CODES.has(graphCode));
  const retryable = rateLimited || res.status >= 500 || res.status === 408;
  const words = detail ?? (res.status === 404 ? 'the file no longer exists there' : `HTTP ${res.status}`);
  return new ProviderError(
    provider,
    code,
    `${what} failed: ${words}`,
    retryable,
    parseRetryAfter(res.headers.get('retry-after')),
    res.status,
  );
}

/** The body, refusing more than `max` bytes whatever Content-Length claimed. */
async function readCapped(provider: Provider, res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw tooLarge(provider, declared, max);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read().catch((err: unknown) => {
      throw new ProviderError(
        provider,
        'network',
        `The download was cut off: ${err instanceof Error ? err.message : String(err)}`,
        true,
      );
    });
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(provider, undefined, max);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

async function download(provider: Provider, url: string, headers: Record<string, string>, what: string, max: number) {
  if (!/^https?:\/\//i.test(url))
    throw new ProviderError(provider, 'bad_url', `${what}: the provider sent no usable media URL`, false);
  const res = await providerFetch(provider, url, { headers, redirect: 'follow' }, 60_000);
  if (!res.ok) throw await httpError(provider, res, what);
  const bytes = await readCapped(provider, res, max);
  return { bytes, contentType: res.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream' };
}

async function whatsappMedia(inbox: ResolvedInbox, mediaId: string, max: number): Promise<FetchedMedia> {
  const bearer = { authorization: `Bearer ${inbox.meta.accessToken ?? ''}` };
  const infoUrl = `${getEnv().META_GRAPH_BASE_URL}/${encodeURIComponent(mediaId)}`;
  const res = await providerFetch('meta', infoUrl, { headers: bearer });
  if (!res.ok) throw await httpError('meta', res, 'Looking up the WhatsApp media');
  const info = (await res.json().catch(() => ({}))) as { url?: string; mime_type?: string; file_size?: number | string };
  const size = Number(info.file_size ?? NaN);
  if (Number.isFinite(size) && size > max) throw tooLarge('meta', size, max);
  if (!info.url) throw new ProviderError('meta', 'no_url', 'WhatsApp answered the media lookup without a download URL', true);
  const got = await download('meta', info.url, bearer, 'Downloading the WhatsApp media', max);
  return { bytes: got.bytes, contentType: info.mime_type || got.contentType };
}

/** `audio/ogg; codecs=opus` (WhatsApp voice notes) -> `audio/ogg`: what the serving route matches on. */
export function mediaType(raw: string): string {
  const type = raw.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) ? type : 'application/octet-stream';
}

export async function fetchMedia(inbox: ResolvedInbox, ref: MediaRef, max = getEnv().MEDIA_MAX_BYTES): Promise<FetchedMedia> {
  const prefer = (got: FetchedMedia) => ({
    bytes: got.bytes,
    // The webhook's declared type wins over a CDN's generic octet-stream.
    contentType: mediaType(got.contentType === 'application/octet-stream' && ref.mimeType ? ref.mimeType : got.contentType),
  });
  if (inbox.provider === 'meta' && ref.mediaId) return prefer(await whatsappMedia(inbox, ref.mediaId, max));
  if (inbox.provider === 'twilio') {
    const basic = Buffer.from(`${inbox.twilio.accountSid ?? ''}:${inbox.twilio.authToken ?? ''}`).toString('base64');
    return prefer(
      await download('twilio', ref.url ?? '', { authorization: `Basic ${basic}` }, 'Downloading the Twilio media', max),
    );
  }
  if (inbox.provider === 'meta')
    return prefer(await download('meta', ref.url ?? '', {}, `Downloading the ${inbox.channel} attachment`, max));
  throw new ProviderError('meta', 'unsupported', `Attachments of ${inbox.channel} inboxes are not downloaded`, false);
}
