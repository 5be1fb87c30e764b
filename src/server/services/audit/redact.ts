/**
 * Redaction before anything reaches an audit entry: values under secret-looking keys become
 * '[redacted]' (we record *that* a secret changed, never the secret).
 */
const SECRET_KEY_RE = /(secret|token|password|passwordhash|apikey|privatekey|authtoken|mfa|recovery|credential)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof (value as { toHexString?: unknown }).toHexString === 'function') return String(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY_RE.test(k) && v !== undefined && v !== null && v !== '' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}
