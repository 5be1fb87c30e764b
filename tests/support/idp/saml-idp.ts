import { createServer, type Server } from 'node:http';
import { inflateRawSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { samlResponseXml, toSamlResponse } from './saml-assertion';

/**
 * A local SAML IdP (HTTP-Redirect binding in, HTTP-POST binding out) that signs real assertions
 * with a certificate generated at start. `/sso` answers any AuthnRequest for the configured user
 * with an auto-submitting form to the SP's ACS; `/sso-drop-relay` does the same but drops
 * RelayState, like some IdPs do.
 */
export interface SamlIdp {
  url: string;
  issuer: string;
  cert: string;
  privateKey: string;
  /** Requests received, newest last (id and ACS URL). */
  requests: Array<{ id: string; acs: string; relayState: string | null }>;
  close: () => Promise<void>;
}

export function parseAuthnRequest(samlRequest: string): { id: string; acs: string; issuer: string } {
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  const attr = (name: string) => xml.match(new RegExp(`\\b${name}="([^"]+)"`))?.[1] ?? '';
  return {
    id: attr('ID'),
    acs: attr('AssertionConsumerServiceURL'),
    issuer: xml.match(/<(?:\w+:)?Issuer[^>]*>([^<]+)</)?.[1] ?? '',
  };
}

export async function startSamlIdp(user: { email: string; name: string }): Promise<SamlIdp> {
  const pems = await generate([{ name: 'commonName', value: 'test-saml-idp' }], { keySize: 2048 });
  const requests: SamlIdp['requests'] = [];
  const idp = { issuer: 'urn:test:saml-idp', cert: pems.cert, privateKey: pems.private, requests } as SamlIdp;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://idp');
    if (url.pathname !== '/sso' && url.pathname !== '/sso-drop-relay') return void res.writeHead(404).end();
    const samlRequest = url.searchParams.get('SAMLRequest');
    if (!samlRequest) return void res.writeHead(400).end('missing SAMLRequest');
    const ar = parseAuthnRequest(samlRequest);
    const relayState = url.pathname === '/sso' ? url.searchParams.get('RelayState') : null;
    requests.push({ id: ar.id, acs: ar.acs, relayState: url.searchParams.get('RelayState') });
    const xml = samlResponseXml({
      idpIssuer: idp.issuer,
      acsUrl: ar.acs,
      audience: ar.issuer,
      inResponseTo: ar.id,
      nameId: user.email,
      email: user.email,
      displayName: user.name,
      privateKey: idp.privateKey,
      cert: idp.cert,
    });
    const relay = relayState ? `<input type="hidden" name="RelayState" value="${relayState.replace(/"/g, '&quot;')}">` : '';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>Test IdP</title><body><p>Signing you in…</p><form id="f" method="post" action="${ar.acs}"><input type="hidden" name="SAMLResponse" value="${toSamlResponse(xml)}">${relay}<noscript><button>Continue</button></noscript></form><script>document.getElementById('f').submit()</script></body>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  idp.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  idp.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return idp;
}
