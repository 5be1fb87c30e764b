import { getEnv } from '../env';
import { parseRetryAfter, ProviderError, providerFetch } from './provider-error';

/**
 * Meta Graph API sends: WhatsApp Cloud API (`POST /{phone-number-id}/messages`) and the Send API of
 * Messenger and Instagram (`POST /{page-or-ig-id}/messages`). Base URL from META_GRAPH_BASE_URL
 * (includes the version, e.g. https://graph.facebook.com/v21.0).
 */
// Throttling codes: app/user/page rate limits, WhatsApp throughput, pair and spam limits.
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131048, 131056]);
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

export type GraphMessage =
  | {
      kind: 'whatsapp';
      phoneNumberId: string;
      to: string;
      text?: string;
      template?: { name: string; language: string; variables: string[] };
    }
  | { kind: 'messenger' | 'instagram'; accountId: string; to: string; text: string; humanAgentTag?: boolean };

export function graphRequest(m: GraphMessage): { path: string; body: Record<string, unknown> } {
  if (m.kind === 'whatsapp') {
    const body = m.template
      ? {
          type: 'template',
          template: {
            name: m.template.name,
            language: { code: m.template.language },
            components: m.template.variables.length
              ? [{ type: 'body', parameters: m.template.variables.map((text) => ({ type: 'text', text })) }]
              : [],
          },
        }
      : { type: 'text', text: { preview_url: false, body: m.text ?? '' } };
    return {
      path: `/${m.phoneNumberId}/messages`,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: m.to, ...body },
    };
  }
  const tag = m.humanAgentTag ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' };
  return { path: `/${m.accountId}/messages`, body: { recipient: { id: m.to }, ...tag, message: { text: m.text } } };
}

export async function sendGraphMessage(accessToken: string, m: GraphMessage): Promise<{ providerMessageId: string }> {
  const { path, body } = graphRequest(m);
  const res = await providerFetch('meta', `${getEnv().META_GRAPH_BASE_URL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as {
    messages?: Array<{ id?: string }>;
    message_id?: string;
    error?: { code?: number; error_subcode?: number; message?: string; error_data?: { details?: string } };
  };
  if (res.ok) {
    const id = json.messages?.[0]?.id ?? json.message_id;
    if (id) return { providerMessageId: id };
    throw new ProviderError('meta', 'no_id', 'Graph API accepted the message without an id', false, undefined, res.status);
  }
  const code = json.error?.code;
  const message = json.error?.error_data?.details ?? json.error?.message ?? `HTTP ${res.status}`;
  const rateLimited = res.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  const retryable = rateLimited || res.status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));
  throw new ProviderError(
    'meta',
    String(code ?? res.status),
    message,
    retryable,
    parseRetryAfter(res.headers.get('retry-after')),
    res.status,
  );
}
