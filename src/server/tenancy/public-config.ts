import {
  BRAND_COLORS,
  DEFAULT_BRAND_COLORS,
  ORG_FEATURES,
  type BrandColor,
  type OrgFeature,
} from '../db/models/platform/org-constants';
import { AppError } from '../errors';
import { loadOrg, type CachedOrg } from './org-cache';

/**
 * What `GET /api/v1/org/config` returns: only what any visitor of the sign-in page may see. Built
 * field by field from an allow-list (never by removing secrets from the document), so a field added
 * to Organization later cannot leak through here by accident.
 */
export interface PublicOrgConfig {
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'provisioning';
  branding: { appName: string; logo: string | null; favicon: string | null; colors: Record<BrandColor, string> };
  signIn: { methods: Array<'password' | 'oidc' | 'saml'>; provider: string | null };
  features: Record<OrgFeature, boolean>;
  channelTypes: Array<{ key: string; label: string; icon: string | null }>;
  configVersion: number;
}

export function toPublicConfig(org: CachedOrg): PublicOrgConfig {
  const colors = Object.fromEntries(
    BRAND_COLORS.map((c) => [c, (org.branding?.colors as Record<string, string> | undefined)?.[c] ?? DEFAULT_BRAND_COLORS[c]]),
  ) as Record<BrandColor, string>;
  const features = Object.fromEntries(
    ORG_FEATURES.map((f) => [f, (org.features as Record<string, boolean> | undefined)?.[f] ?? true]),
  ) as Record<OrgFeature, boolean>;
  const method = org.auth?.method ?? 'password';
  return {
    slug: org.slug,
    name: org.name,
    status: org.status,
    branding: {
      appName: org.branding?.appName ?? org.name,
      logo: org.branding?.logo ?? null,
      favicon: org.branding?.favicon ?? null,
      colors,
    },
    signIn: { methods: [method], provider: method === 'oidc' ? (org.auth?.oidc?.provider ?? 'generic') : null },
    features,
    channelTypes: (org.channelTypes ?? []).map((t) => ({ key: t.key, label: t.label, icon: t.icon ?? null })),
    configVersion: org.configVersion ?? 1,
  };
}

export async function getPublicOrgConfig(slug: string): Promise<PublicOrgConfig> {
  const org = await loadOrg(slug);
  if (!org) throw new AppError('NOT_FOUND', 'No such workspace');
  return toPublicConfig(org);
}

/** CSS custom properties for server-rendered branding (`--color-primary-foreground: #fff;`). */
export function brandCssVariables(config: Pick<PublicOrgConfig, 'branding'>): string {
  const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
  return BRAND_COLORS.map((c) => `--color-${kebab(c)}: ${config.branding.colors[c]};`).join(' ');
}
