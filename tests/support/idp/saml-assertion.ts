import { randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

/**
 * Builds a SAML 2.0 Response the way an IdP does, with the assertion signed by xml-crypto
 * (RSA-SHA256, exclusive c14n, enveloped signature). Tests use the options to produce the bad
 * variants: unsigned, tampered after signing, signed by another key, wrong audience, expired.
 */
export interface AssertionOptions {
  idpIssuer: string;
  acsUrl: string;
  audience: string;
  inResponseTo: string;
  nameId: string;
  email: string;
  displayName?: string;
  privateKey: string;
  cert: string;
  sign?: boolean;
  /** Applied to the XML after signing (to prove tampering is caught). */
  tamper?: (xml: string) => string;
  notOnOrAfterMs?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function samlResponseXml(o: AssertionOptions): string {
  const now = new Date();
  const iso = (d: Date) => d.toISOString();
  const until = new Date(now.getTime() + (o.notOnOrAfterMs ?? 5 * 60_000));
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${iso(now)}"><saml:Issuer>${esc(o.idpIssuer)}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.nameId)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${esc(o.inResponseTo)}" NotOnOrAfter="${iso(until)}" Recipient="${esc(o.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(new Date(now.getTime() - 60_000))}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="_s${randomUUID().replace(/-/g, '')}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${esc(o.email)}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="displayName"><saml:AttributeValue>${esc(o.displayName ?? o.email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>`;
  let xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="${esc(o.acsUrl)}" InResponseTo="${esc(o.inResponseTo)}"><saml:Issuer>${esc(o.idpIssuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
  if (o.sign !== false) {
    const sig = new SignedXml({
      privateKey: o.privateKey,
      publicCert: o.cert,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(xml, {
      location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    xml = sig.getSignedXml();
  }
  return o.tamper ? o.tamper(xml) : xml;
}

export const toSamlResponse = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
