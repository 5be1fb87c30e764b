import { isValidSlug } from './slug';

/**
 * Host parsing and classification. Pure and dependency-free: `middleware.ts` imports it, so no
 * database, Redis or Node-only module may ever be imported here.
 */
export type HostClass =
  { kind: 'platform' } | { kind: 'subdomain'; slug: string } | { kind: 'custom'; domain: string } | { kind: 'invalid' };

// Anything a Host header may legitimately hold: letters (IDN included), digits, dots, hyphens, a
// port and IPv6 brackets. `@`, `/`, `\`, `%`, spaces and commas are how spoofing attempts look.
const RAW_HOST_RE = /^[\p{L}\p{N}.\-:[\]]+$/u;
const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Lower-case, punycoded host without port or trailing dot; `null` when it is not a plausible DNS
 * name. IP literals are returned as such (classifyHost rejects them).
 */
export function normalizeHost(raw: string | null | undefined): string | null {
  const value = raw?.trim();
  if (!value || value.length > 300 || !RAW_HOST_RE.test(value)) return null;
  let hostname: string;
  try {
    // The WHATWG parser does IDN to punycode, case folding and IPv4 canonicalisation for us.
    const url = new URL(`http://${value}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return null;
    hostname = url.hostname;
  } catch {
    return null;
  }
  if (hostname.startsWith('[')) return hostname; // IPv6 literal
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (!hostname || hostname.length > 253) return null;
  if (IPV4_RE.test(hostname)) return hostname;
  return hostname.split('.').every((label) => LABEL_RE.test(label)) ? hostname : null;
}

export function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || IPV4_RE.test(host);
}

/**
 * The host the client asked for. `X-Forwarded-Host` is only believed behind a trusted proxy;
 * otherwise any client could claim to be another tenant. Returns '' when no valid host is present.
 */
export function hostFromHeaders(headers: Headers, opts: { trustProxy: boolean }): string {
  if (opts.trustProxy) {
    // With chained proxies the first entry is the host the browser used.
    const forwarded = headers.get('x-forwarded-host')?.split(',')[0];
    if (forwarded?.trim()) return normalizeHost(forwarded) ?? '';
  }
  return normalizeHost(headers.get('host')) ?? '';
}

export interface HostConfig {
  baseDomain: string;
  platformHost: string;
}

export function classifyHost(host: string, cfg: HostConfig): HostClass {
  let h = normalizeHost(host);
  if (!h || isIpLiteral(h)) return { kind: 'invalid' };
  if (h.startsWith('www.')) h = h.slice(4);
  const base = normalizeHost(cfg.baseDomain);
  const platform = normalizeHost(cfg.platformHost);
  if (h === platform) return { kind: 'platform' };
  if (!base || h === base) return { kind: 'invalid' };
  if (h.endsWith(`.${base}`)) {
    const label = h.slice(0, -(base.length + 1));
    // Only one level: a.b.<base> is nobody's workspace, and reserved labels are not tenants.
    return !label.includes('.') && isValidSlug(label) ? { kind: 'subdomain', slug: label } : { kind: 'invalid' };
  }
  const labels = h.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || /^\d+$/.test(tld)) return { kind: 'invalid' };
  return { kind: 'custom', domain: h };
}
