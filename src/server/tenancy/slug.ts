/**
 * Organisation slugs: the subdomain label and part of the tenant database name. Kept free of any
 * database import because the edge middleware imports it through host.ts.
 */
export const SLUG_RE = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Labels that are never organisations: they name platform services or would confuse users. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'www',
  'mail',
  'smtp',
  'static',
  'assets',
  'cdn',
  'ws',
  'socket',
  'realtime',
  'status',
  'platform',
  'help',
  'support',
  'docs',
  'auth',
  'login',
  'internal',
]);

export function isValidSlug(slug: string): boolean {
  return SLUG_RE.test(slug) && !slug.includes('--') && !RESERVED_SLUGS.has(slug);
}

/** `org_<slug>_db`; hyphens become underscores (slugs never contain underscores, so no collisions). */
export function tenantDbName(slug: string): string {
  return `org_${slug.replace(/-/g, '_')}_db`;
}
