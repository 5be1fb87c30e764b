import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as acs } from '@/app/api/saml/acs/route';
import { GET as metadata } from '@/app/api/saml/metadata/route';
import { GET as ssoStart } from '@/app/api/sso/start/route';
import { getSessionUser } from '@/server/auth/session';
import { getEnv } from '@/server/env';
import { tenantModels } from '@/server/tenancy/connections';
import { provisionOrganization } from '@/server/tenancy/provisioning';
import { parseAuthnRequest, startSamlIdp, type SamlIdp } from '../support/idp/saml-idp';
import { samlResponseXml, toSamlResponse, type AssertionOptions } from '../support/idp/saml-assertion';
import { cookieHeader, cookiesOf } from './identity-helpers';
import { randomSlug, startTenancy, stopTenancy } from './tenancy-helpers';

let idp: SamlIdp;
let otherKey: { private: string; cert: string };
const orgs: Array<{ slug: string; host: string }> = [];

async function samlOrg(entryPath = '/sso') {
  const slug = randomSlug('saml');
  await provisionOrganization({
    slug,
    name: `SAML ${slug}`,
    firstAdmin: { email: `admin@${slug}.test` },
    auth: { method: 'saml', saml: { entryPoint: `${idp.url}${entryPath}`, idpIssuer: idp.issuer, idpCert: idp.cert } },
  });
  const org = { slug, host: `${slug}.${getEnv().BASE_DOMAIN}` };
  orgs.push(org);
  return org;
}

/** Start a sign-in on `host` like the browser does; returns what the IdP received. */
async function start(host: string) {
  const res = await ssoStart(new Request(`http://${host}/api/sso/start?next=/account`, { headers: { host } }));
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin).toBe(idp.url);
  return { ...parseAuthnRequest(location.searchParams.get('SAMLRequest')!), relayState: location.searchParams.get('RelayState') };
}

function post(host: string, fields: Record<string, string>) {
  return acs(
    new Request(`http://${host}/api/saml/acs`, {
      method: 'POST',
      headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    }),
  );
}

function response(ar: { id: string; acs: string; issuer: string }, extra: Partial<AssertionOptions> = {}) {
  const email = extra.email ?? 'sam.saml@corp.test';
  return toSamlResponse(
    samlResponseXml({
      idpIssuer: idp.issuer,
      acsUrl: ar.acs,
      audience: ar.issuer,
      inResponseTo: ar.id,
      nameId: email,
      email,
      displayName: 'Sam Saml',
      privateKey: idp.privateKey,
      cert: idp.cert,
      ...extra,
    }),
  );
}

const refusedRedirect = (res: Response) => {
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/sign-in?error=sso');
  expect(res.headers.getSetCookie().filter((c) => c.startsWith('cop_'))).toEqual([]);
};

beforeAll(async () => {
  await startTenancy();
  idp = await startSamlIdp({ email: 'unused@corp.test', name: 'Unused' });
  otherKey = await generate([{ name: 'commonName', value: 'attacker' }], { keySize: 2048 });
}, 60_000);
afterAll(async () => {
  await idp.close();
  await stopTenancy();
});

describe('SAML sign-in', () => {
  it('a signed assertion signs in and creates the user with the default role and externalId', async () => {
    const org = await samlOrg();
    const ar = await start(org.host);
    expect((await start(org.host)).relayState).toBe(org.slug);
    const res = await post(org.host, { SAMLResponse: response(ar), RelayState: org.slug });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    const user = await getSessionUser(new Headers({ host: org.host, cookie: cookieHeader(cookiesOf(res)) }), org.slug);
    expect(user).toMatchObject({ email: 'sam.saml@corp.test', role: 'Member', name: 'Sam Saml' });
    const doc = await tenantModels(org.slug).User.findOne({ email: 'sam.saml@corp.test' }).lean();
    expect(doc?.externalId).toBe(`saml:${idp.issuer}|sam.saml@corp.test`);
    // Replaying the very same response is refused and changes nothing.
    refusedRedirect(await post(org.host, { SAMLResponse: response(ar), RelayState: org.slug }));
  });

  it('publishes SP metadata with the entity id and ACS URL the IdP must use', async () => {
    const org = await samlOrg();
    const res = await metadata(new Request(`http://${org.host}/api/saml/metadata`, { headers: { host: org.host } }));
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`entityID="http://${org.host}/api/saml/metadata"`);
    expect(xml).toContain(`Location="http://${org.host}/api/saml/acs"`);
  });

  it('recovers the organisation from the request id when the IdP drops RelayState', async () => {
    const org = await samlOrg('/sso-drop-relay');
    const ar = await start(org.host);
    const res = await post(org.host, { SAMLResponse: response(ar, { email: 'norelay@corp.test' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    expect(cookiesOf(res).cop_session).toBeTruthy();
  });

  it('refuses unsigned, tampered, foreign-signed, expired and unsolicited assertions', async () => {
    const org = await samlOrg();
    const cases: Array<Partial<AssertionOptions>> = [
      { sign: false },
      { tamper: (xml) => xml.replace(/sam\.saml@corp\.test/g, 'admin@corp.test') },
      { privateKey: otherKey.private, cert: otherKey.cert },
      { notOnOrAfterMs: -60_000 },
      { audience: 'urn:someone-else' },
    ];
    for (const extra of cases) {
      const ar = await start(org.host);
      refusedRedirect(await post(org.host, { SAMLResponse: response(ar, extra), RelayState: org.slug }));
    }
    // A response to a request we never sent.
    const ar = await start(org.host);
    refusedRedirect(await post(org.host, { SAMLResponse: response({ ...ar, id: '_never-sent-1234' }), RelayState: org.slug }));
    expect(await tenantModels(org.slug).User.countDocuments({ externalId: { $exists: true } })).toBe(0);
  });

  it("refuses organisation A's response on organisation B's host, and junk input", async () => {
    const a = await samlOrg();
    const b = await samlOrg();
    const ar = await start(a.host);
    refusedRedirect(await post(b.host, { SAMLResponse: response(ar), RelayState: a.slug }));
    refusedRedirect(await post(b.host, { SAMLResponse: response(ar) }));
    refusedRedirect(await post(a.host, { SAMLResponse: '{"$ne":null}', RelayState: a.slug }));
    refusedRedirect(await post(a.host, { RelayState: a.slug }));
    refusedRedirect(await post(a.host, { SAMLResponse: response(ar), RelayState: '{"$gt":""}' }));
  });
});
