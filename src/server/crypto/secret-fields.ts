import { decryptSecret, encryptSecret } from './secrets';

/**
 * Which organisation fields hold secrets. They are stored encrypted (secrets.ts), stripped from
 * every toJSON/toObject and public view, and reported to forms only as "set / not set".
 */
export const ORG_SECRET_PATHS = [
  'auth.jwtSecret',
  'auth.oidc.clientSecret',
  'auth.saml.privateKey',
  'twilio.authToken',
  'storage.secretAccessKey',
  'email.apiKey',
  'email.smtpPassword',
  'meta.appSecret',
  'meta.accessToken',
  'meta.verifyToken',
] as const;
export type OrgSecretPath = (typeof ORG_SECRET_PATHS)[number];

export const SUPER_ADMIN_SECRET_PATHS = ['passwordHash', 'mfaSecret', 'recoveryCodes'] as const;

type Obj = Record<string, unknown>;

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
}

/** Deletes `paths` from a plain object in place (used by schema toJSON/toObject transforms). */
export function deletePaths(obj: Obj, paths: readonly string[]): Obj {
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.pop()!;
    const parent = parts.length ? getPath(obj, parts.join('.')) : obj;
    if (parent && typeof parent === 'object') delete (parent as Obj)[last];
  }
  return obj;
}

/** What a form may know about secrets: whether each one is set. */
export function secretStatus(obj: unknown, paths: readonly string[] = ORG_SECRET_PATHS): Record<string, boolean> {
  return Object.fromEntries(paths.map((p) => [p, typeof getPath(obj, p) === 'string' && getPath(obj, p) !== '']));
}

/** Decrypt one organisation secret; undefined when it is not set. */
export function readOrgSecret(org: { slug: string }, path: OrgSecretPath): string | undefined {
  const stored = getPath(org, path);
  return typeof stored === 'string' && stored ? decryptSecret(stored, { scope: org.slug, field: path }) : undefined;
}

/**
 * Mongo update operators for write-only secret inputs: a string sets (encrypted), null clears,
 * undefined leaves the stored value alone (forms send nothing for "unchanged").
 */
export function secretUpdate(
  slug: string,
  input: Partial<Record<OrgSecretPath, string | null | undefined>>,
): { $set: Obj; $unset: Obj } {
  const $set: Obj = {};
  const $unset: Obj = {};
  for (const [path, value] of Object.entries(input)) {
    if (!(ORG_SECRET_PATHS as readonly string[]).includes(path)) continue;
    if (value === null || value === '') $unset[path] = '';
    else if (typeof value === 'string') $set[path] = encryptSecret(value, { scope: slug, field: path });
  }
  return { $set, $unset };
}

/**
 * Secrets of a provider inbox (tenant database, `inboxes` collection). Each is bound to the org and
 * to `inbox.<publicId>.<path>`, so a ciphertext copied to another inbox or field does not decrypt.
 */
export const INBOX_SECRET_PATHS = ['meta.appSecret', 'meta.verifyToken', 'meta.accessToken', 'twilio.authToken'] as const;
export type InboxSecretPath = (typeof INBOX_SECRET_PATHS)[number];

export const inboxSecretContext = (slug: string, publicId: string, path: InboxSecretPath) => ({
  scope: slug,
  field: `inbox.${publicId}.${path}`,
});
