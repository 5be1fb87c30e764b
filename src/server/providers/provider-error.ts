/**
 * What a provider API answered when a send did not go through. `retryable` separates rate limits and
 * outages (retry later, honouring `retryAfterMs` when the provider names a time) from permanent
 * refusals (bad recipient, closed window, revoked token), which mark the message failed at once.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: 'meta' | 'twilio',
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** fetch with a deadline; network failures become retryable ProviderErrors. */
export async function providerFetch(
  provider: 'meta' | 'twilio',
  url: string,
  init: RequestInit,
  timeoutMs = 15_000,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ProviderError(
      provider,
      'network',
      `Could not reach ${provider}: ${err instanceof Error ? err.message : String(err)}`,
      true,
    );
  }
}
