import { z } from 'zod';
import { roleSchema } from '../authz/rules';
import { AUTH_METHODS, BRAND_COLORS, HEX_COLOR_RE, ORG_FEATURES, PLAN_TIERS } from '../db/models/platform/org-constants';
import { AppError } from '../errors';
import { isValidSlug } from './slug';

/**
 * Strict input schemas for everything that writes an organisation. Strings are strings (never
 * objects), so no `$`-operator from a request can reach a query or an update.
 */
const url = z
  .string()
  .trim()
  .max(200_000)
  .refine((v) => /^(https:\/\/|data:image\/(svg\+xml|png|jpeg|webp|x-icon);)/.test(v), {
    message: 'must be an https:// URL or an image data: URL',
  });
const colors = z
  .object(
    Object.fromEntries(BRAND_COLORS.map((c) => [c, z.string().regex(HEX_COLOR_RE)])) as Record<
      (typeof BRAND_COLORS)[number],
      z.ZodString
    >,
  )
  .partial()
  .strict();

export const slugInput = z.string().trim().toLowerCase().refine(isValidSlug, {
  message: 'slug must be 3-40 lower-case letters, digits or hyphens, start with a letter, and not be reserved',
});

export const brandingInput = z
  .object({ appName: z.string().trim().min(1).max(60), logo: url.optional(), favicon: url.optional(), colors: colors.optional() })
  .strict();

export const oidcInput = z
  .object({
    provider: z.enum(['okta', 'auth0', 'generic']).default('generic'),
    issuer: z.string().url(),
    clientId: z.string().min(1).max(300),
    clientSecret: z.string().min(1).max(2000).optional(), // write-only
    scopes: z
      .array(z.string().regex(/^[\w:.-]+$/))
      .max(20)
      .optional(),
  })
  .strict();

export const samlInput = z
  .object({
    entryPoint: z.string().url(),
    idpIssuer: z.string().min(1).max(500),
    idpCert: z.string().min(1).max(20_000),
    spEntityId: z.string().min(1).max(500).optional(),
    privateKey: z.string().min(1).max(20_000).optional(), // write-only
    wantAssertionsSigned: z.boolean().optional(),
  })
  .strict();

export const authInput = z
  .object({
    method: z.enum(AUTH_METHODS),
    defaultRole: z.string().min(1).max(60).optional(),
    oidc: oidcInput.optional(),
    saml: samlInput.optional(),
  })
  .strict()
  .refine((a) => a.method !== 'oidc' || a.oidc, { message: 'OIDC sign-in needs issuer and client settings' })
  .refine((a) => a.method !== 'saml' || a.saml, { message: 'SAML sign-in needs IdP settings' });

export const channelTypeInput = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
    label: z.string().trim().min(1).max(60),
    icon: z.string().max(60).optional(),
    autoCreate: z.boolean().default(false),
  })
  .strict();

export const planInput = z
  .object({
    tier: z.enum(PLAN_TIERS),
    maxUsers: z.number().int().min(1).max(1_000_000).optional(),
    maxStorageMB: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict();

export const featuresInput = z
  .object(Object.fromEntries(ORG_FEATURES.map((f) => [f, z.boolean()])) as Record<(typeof ORG_FEATURES)[number], z.ZodBoolean>)
  .partial()
  .strict();

export const actorInput = z
  .object({
    type: z.enum(['user', 'superadmin', 'system']),
    id: z.string().max(100).optional(),
    email: z.string().max(320).optional(),
    ip: z.string().max(100).optional(),
  })
  .strict();
export type Actor = z.infer<typeof actorInput>;
export const SYSTEM_ACTOR: Actor = { type: 'system' };

export const provisionInput = z
  .object({
    slug: slugInput,
    name: z.string().trim().min(1).max(120),
    plan: planInput.default({ tier: 'free' }),
    branding: brandingInput.partial({ appName: true }).optional(),
    auth: authInput.default({ method: 'password' }),
    channelTypes: z.array(channelTypeInput).max(20).optional(),
    features: featuresInput.optional(),
    roles: z.array(roleSchema).min(1).max(50).optional(),
    firstAdmin: z
      .object({
        email: z.string().trim().toLowerCase().email().max(320),
        displayName: z.string().trim().min(1).max(120).optional(),
      })
      .strict(),
    actor: actorInput.default(SYSTEM_ACTOR),
  })
  .strict();
export type ProvisionInput = z.input<typeof provisionInput>;

export const DEFAULT_CHANNEL_TYPES = [
  { key: 'general', label: 'General', icon: 'hash', autoCreate: true },
  { key: 'announcements', label: 'Announcements', icon: 'megaphone', autoCreate: true },
  { key: 'team', label: 'Team', icon: 'users', autoCreate: false },
  { key: 'project', label: 'Project', icon: 'folder', autoCreate: false },
];

export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const msg = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  throw new AppError('BAD_REQUEST', msg, { issues: result.error.issues });
}
