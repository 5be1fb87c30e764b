/**
 * Organisation vocabulary shared by models, services and the UI. No database import: client
 * components and the middleware may import it.
 */
export const ORG_STATUSES = ['provisioning', 'active', 'suspended'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

export const AUTH_METHODS = ['password', 'oidc', 'saml'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** The 11 per-organisation feature flags. */
export const ORG_FEATURES = [
  'inbox', // omnichannel customer inbox
  'teamChat',
  'threads',
  'reactions',
  'fileUploads',
  'whatsapp',
  'messenger',
  'instagram',
  'webChat',
  'twilio',
  'exports',
] as const;
export type OrgFeature = (typeof ORG_FEATURES)[number];

/** The 12 brand colours, applied as CSS variables (`--color-<name>`). */
export const BRAND_COLORS = [
  'primary',
  'primaryForeground',
  'secondary',
  'secondaryForeground',
  'accent',
  'accentForeground',
  'background',
  'foreground',
  'muted',
  'mutedForeground',
  'border',
  'destructive',
] as const;
export type BrandColor = (typeof BRAND_COLORS)[number];

export const DEFAULT_BRAND_COLORS: Record<BrandColor, string> = {
  primary: '#2563eb',
  primaryForeground: '#ffffff',
  secondary: '#e2e8f0',
  secondaryForeground: '#0f172a',
  accent: '#0ea5e9',
  accentForeground: '#ffffff',
  background: '#ffffff',
  foreground: '#0f172a',
  muted: '#f1f5f9',
  mutedForeground: '#64748b',
  border: '#e2e8f0',
  destructive: '#dc2626',
};

export const PLAN_TIERS = ['free', 'starter', 'pro', 'enterprise'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];

export const PLAN_DEFAULTS: Record<PlanTier, { maxUsers: number; maxStorageMB: number }> = {
  free: { maxUsers: 5, maxStorageMB: 500 },
  starter: { maxUsers: 25, maxStorageMB: 5_000 },
  pro: { maxUsers: 200, maxStorageMB: 50_000 },
  enterprise: { maxUsers: 5_000, maxStorageMB: 1_000_000 },
};

export const HEX_COLOR_RE = /^#[0-9a-fA-F]{6}$/;
