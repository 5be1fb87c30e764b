/** POST JSON to /api/platform/auth/<action>; the error text is the server's own words. */
export type PostResult<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

export async function authPost<T = Record<string, unknown>>(action: string, body: unknown = {}): Promise<PostResult<T>> {
  try {
    const res = await fetch(`/api/platform/auth/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (res.ok) return { ok: true, data };
    const retry = res.headers.get('retry-after');
    const suffix = res.status === 429 && retry ? ` (wait ${retry} s)` : '';
    return { ok: false, status: res.status, error: (data.error ?? `Something went wrong (${res.status}). Try again.`) + suffix };
  } catch {
    return { ok: false, status: 0, error: 'Cannot reach the server. Check your connection and try again.' };
  }
}
