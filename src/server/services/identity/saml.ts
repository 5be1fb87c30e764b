import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { z } from 'zod';
import { readOrgSecret } from '../../crypto/secret-fields';
import { AppError } from '../../errors';
import { loadOrg, type CachedOrg } from '../../tenancy/org-cache';
import { markAssertionUsed, SAML_REQUEST_TTL_MS, samlRequest, samlRequestStore } from './saml-requests';
import { findOrCreateSsoUser } from './sso-users';

/**
 * SAML 2.0 sign-in (SP-initiated) with @node-saml/node-saml, bridged into our own session. Signed
 * assertions are required, InResponseTo must name a request we sent (and only once), the audience
 * must be this organisation's SP entity id, and each assertion id is accepted once.
 */
export const acsInput = z
  .object({ SAMLResponse: z.string().min(1).max(500_000), RelayState: z.string().max(200).optional() })
  .strict();

function spEntityId(org: CachedOrg, base: string): string {
  return org.auth?.saml?.spEntityId ?? `${base}/api/saml/metadata`;
}

function samlFor(org: CachedOrg, base: string, next?: string): SAML {
  const cfg = org.auth?.saml;
  if (org.auth?.method !== 'saml' || !cfg?.entryPoint || !cfg.idpCert || !cfg.idpIssuer) {
    throw new AppError('NOT_FOUND', 'SAML sign-in is not configured for this workspace');
  }
  const privateKey = readOrgSecret(org, 'auth.saml.privateKey');
  return new SAML({
    entryPoint: cfg.entryPoint,
    idpIssuer: cfg.idpIssuer,
    idpCert: cfg.idpCert,
    issuer: spEntityId(org, base),
    audience: spEntityId(org, base),
    callbackUrl: `${base}/api/saml/acs`,
    wantAssertionsSigned: true, // never weakened by configuration: unsigned assertions are refused
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    cacheProvider: samlRequestStore(org.slug, next),
    acceptedClockSkewMs: 5_000,
    ...(privateKey ? { privateKey, signatureAlgorithm: 'sha256' as const } : {}),
  });
}

async function activeOrg(slug: string): Promise<CachedOrg> {
  const org = await loadOrg(slug);
  if (!org || org.status !== 'active') throw new AppError('FORBIDDEN', 'This workspace is not available');
  return org;
}

/** SP metadata for the organisation's IdP administrators (entity id, ACS URL, name id format). */
export async function samlMetadata(slug: string, base: string): Promise<string> {
  return samlFor(await activeOrg(slug), base).generateServiceProviderMetadata(null);
}

/** Where to send the browser: the IdP, with our request id remembered and the slug in RelayState. */
export async function samlLoginUrl(slug: string, base: string, next: string): Promise<string> {
  const org = await activeOrg(slug);
  return samlFor(org, base, next).getAuthorizeUrlAsync(slug, new URL(base).host, {});
}

/** The organisation a response belongs to: RelayState, or the record of the request it answers. */
async function slugOfResponse(
  samlResponse: string,
  relayState: string | undefined,
): Promise<{ slug: string; next: string } | null> {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const inResponseTo = xml.match(/<(?:\w+:)?Response\b[^>]*\bInResponseTo="([^"]+)"/)?.[1];
  const record = inResponseTo ? await samlRequest(inResponseTo) : null;
  const slug = relayState || record?.slug;
  if (!slug) return null;
  return { slug, next: record && record.slug === slug ? record.next : '/' };
}

/** Validate a POSTed response for the organisation of this host; returns our user id and next page. */
export async function samlAcs(hostSlug: string, base: string, raw: unknown): Promise<{ userId: string; next: string }> {
  const parsed = acsInput.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'Malformed SAML response');
  const { SAMLResponse, RelayState } = parsed.data;
  const target = await slugOfResponse(SAMLResponse, RelayState);
  // A response for another organisation (or for none we know of) is never accepted on this host.
  if (!target || target.slug !== hostSlug) throw new AppError('UNAUTHORIZED', 'SAML response not accepted');
  const org = await activeOrg(hostSlug);
  let profile;
  try {
    ({ profile } = await samlFor(org, base).validatePostResponseAsync({ SAMLResponse, ...(RelayState ? { RelayState } : {}) }));
  } catch (err) {
    console.warn(`[identity] SAML response refused for ${hostSlug}:`, (err as Error).message);
    throw new AppError('UNAUTHORIZED', 'SAML response not accepted');
  }
  if (!profile?.nameID) throw new AppError('UNAUTHORIZED', 'SAML response not accepted');
  // The id of the signed assertion that was validated (node-saml hands us its XML).
  const assertionId = profile.getAssertionXml?.().match(/<(?:\w+:)?Assertion\b[^>]*\sID="([^"]+)"/)?.[1] ?? '';
  if (!assertionId || !(await markAssertionUsed(hostSlug, assertionId)))
    throw new AppError('UNAUTHORIZED', 'SAML response not accepted');
  const email = String(profile.email ?? profile.mail ?? profile.nameID);
  const userId = await findOrCreateSsoUser(hostSlug, {
    protocol: 'saml',
    subject: `${org.auth?.saml?.idpIssuer}|${profile.nameID}`,
    email,
    name: typeof profile.displayName === 'string' ? profile.displayName : undefined,
    emailVerified: true,
  });
  return { userId, next: target.next };
}
