import { z } from 'zod';

/**
 * The one place configuration is read. Every process calls `getEnv()` at start, so a missing or
 * malformed variable stops it immediately with a message naming the variable.
 *
 * Outside production, secrets fall back to fixed development values so `npm run dev` works on a
 * fresh clone; in production they are required.
 */
const isProd = process.env.NODE_ENV === 'production';

// `prefault`, not `default`: zod 4 returns a `default` value as the output without running the
// schema, so a transforming schema (ENCRYPTION_KEYS) would hand out the raw string.
const devDefault = <T extends z.ZodTypeAny>(schema: T, value: z.input<T>) =>
  isProd ? schema : schema.prefault(value as never);

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const secret = z.string().min(32, 'must be at least 32 characters');

/** `kid:base64(32 bytes)` entries, comma separated; the active one is chosen by ENCRYPTION_ACTIVE_KEY_ID. */
const masterKeys = z.string().transform((raw, ctx) => {
  const keys = new Map<string, Buffer>();
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [kid, b64] = entry.split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : undefined;
    if (!kid || !key || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: `entry "${kid ?? entry}" must be kid:<base64 of 32 bytes>` });
      return z.NEVER;
    }
    keys.set(kid, key);
  }
  if (keys.size === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one key' });
  return keys;
});

const DEV_MASTER_KEY = `dev1:${Buffer.alloc(32, 7).toString('base64')}`;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Unset: the embedded MongoDB-compatible server is started by the dev launcher and the tests. */
  MONGO_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  PLATFORM_DB_NAME: z.string().regex(/^[a-z0-9_]+$/).default('platform_db'),
  PORT: port.default(3000),
  REALTIME_PORT: port.default(3001),
  /** Tenants live at <slug>.<BASE_DOMAIN>; the operator panel at PLATFORM_HOST. */
  BASE_DOMAIN: z.string().min(1).default('localhost'),
  PLATFORM_HOST: z.string().min(1).default('admin.localhost'),
  /** Behind a reverse proxy that sets X-Forwarded-Host: trust it. Otherwise it is ignored (spoofable). */
  TRUST_PROXY: bool.default(false),
  /** Scheme used when building public links (http in development, https behind TLS). */
  PUBLIC_PROTOCOL: z.enum(['http', 'https']).default(isProd ? 'https' : 'http'),
  /** Browser-facing URL of the realtime server; the web app hands it to clients. */
  REALTIME_PUBLIC_URL: z.string().url().default('http://localhost:3001'),
  /** Extra origins allowed to open sockets, besides tenant and platform hosts. */
  CORS_ORIGINS: z.string().default('').transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  SUPER_ADMIN_JWT_SECRET: devDefault(secret, 'dev-super-admin-secret-change-me-0123456789'),
  /** Signs the short-lived socket handshake tokens minted by the web app. */
  REALTIME_TOKEN_SECRET: devDefault(secret, 'dev-realtime-token-secret-change-me-012345'),
  /** next-auth fallback secret; each organisation signs with its own derived secret. */
  AUTH_SECRET: devDefault(secret, 'dev-auth-secret-change-me-0123456789abcdef'),
  ENCRYPTION_KEYS: devDefault(masterKeys, DEV_MASTER_KEY),
  ENCRYPTION_ACTIVE_KEY_ID: z.string().min(1).default('dev1'),
  REDIS_HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_PORT: port.default(6379),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_TLS: bool.default(false),
  /** Prefix for every Redis key and queue, so several deployments (or test runs) can share a Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]*$/).default('cop'),
  /** Default object storage (S3 / DigitalOcean Spaces); organisations may bring their own. */
  DO_SPACE_KEY: z.string().optional(),
  DO_SPACE_SECRET: z.string().optional(),
  DO_SPACE_REGION: z.string().default('us-east-1'),
  DO_SPACE_ENDPOINT: z.string().url().optional(),
  DO_SPACE_BUCKET: z.string().default('customer-ops'),
  /** Path-style URLs (endpoint/bucket/key): what Spaces, MinIO and local S3 servers all accept. */
  DO_SPACE_PATH_STYLE: bool.default(true),
  /** Without DO_SPACE_KEY/SECRET, objects are kept in this directory instead (development, one host). */
  STORAGE_DIR: z.string().min(1).default('.data/objects'),
  /** Largest media attachment downloaded from a provider; bigger ones are refused with an error on the message. */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  /** Outgoing mail (invitations, resets); per-organisation sender settings override the from. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('Customer Ops <no-reply@localhost>'),
  /** Provider APIs, configurable so tests talk to local servers speaking the same protocol. */
  META_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
  /** Resolver for custom-domain TXT verification (host:port); empty uses the system resolver. */
  DNS_RESOLVER: z.string().default(''),
  /** Tenant model registries kept in memory (LRU); idle tenants beyond this are dropped. */
  TENANT_CACHE_MAX: z.coerce.number().int().min(1).default(200),
  /** Host -> organisation cache: entries and lifetime (pub/sub invalidation does the fast path). */
  ORG_CACHE_MAX: z.coerce.number().int().min(1).default(5000),
  ORG_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Overrides every queue's concurrency in this worker process (default: per queue, src/server/queues/names.ts). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).optional(),
  /** Job lock lifetime; a job of a worker that died is handed to another worker after about this long. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /** `npm run dev` / `npm start` without MONGO_URI: port of the embedded MongoDB-compatible server. */
  EMBEDDED_MONGO_PORT: z.coerce.number().int().min(0).max(65535).default(27017),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (result.success) {
    if (!result.data.ENCRYPTION_KEYS.has(result.data.ENCRYPTION_ACTIVE_KEY_ID)) {
      throw new EnvError('Invalid configuration:\n  ENCRYPTION_ACTIVE_KEY_ID: no key with this id in ENCRYPTION_KEYS');
    }
    return result.data;
  }
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new EnvError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; this forgets the parsed copy. */
export function resetEnvForTests(): void {
  cached = undefined;
}
