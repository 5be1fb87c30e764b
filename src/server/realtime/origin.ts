import { getEnv } from '../env';
import { classifyHost, normalizeHost } from '../tenancy/host';
import { resolveOrgByHost, resolveOrgBySlug } from '../tenancy/resolve';

/**
 * May a page served from `origin` open a socket for organisation `slug`? Only the organisation's
 * own hosts (its subdomain, its verified custom domains) and the explicitly configured CORS_ORIGINS
 * qualify. This stops another site from riding a user's token, and one tenant's page from opening
 * another tenant's socket.
 */
export async function originAllowedFor(origin: string | undefined, slug: string): Promise<boolean> {
  if (!origin) return false;
  const env = getEnv();
  if (env.CORS_ORIGINS.includes(origin)) return true;
  let host: string | null;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    host = normalizeHost(url.host);
  } catch {
    return false;
  }
  if (!host) return false;
  const cls = classifyHost(host, { baseDomain: env.BASE_DOMAIN, platformHost: env.PLATFORM_HOST });
  if (cls.kind === 'subdomain') return cls.slug === slug;
  if (cls.kind === 'custom') return (await resolveOrgByHost(host))?.slug === slug;
  return false;
}

/** The organisation behind a slug (cached by the resolver, dropped on org:config:updated). */
export const orgBySlug = resolveOrgBySlug;
