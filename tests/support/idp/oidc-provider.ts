import Provider from 'oidc-provider';
import type { Server } from 'node:http';

/**
 * A local OpenID Provider (the `oidc-provider` package: discovery, authorization code + PKCE,
 * signed ID tokens) with its built-in development login and consent pages. Any login name signs
 * in as `<name>@oidc.test`; the email is reported verified.
 */
export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close: () => Promise<void>;
}

export async function startOidcProvider(opts: { port: number; redirectUris: string[] }): Promise<LocalOidcProvider> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const clientId = 'customer-ops-test';
  const clientSecret = 'a-client-secret-for-the-local-idp-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: `${id}@oidc.test`,
            email_verified: true,
            name: `${id[0]?.toUpperCase() ?? ''}${id.slice(1)} from OIDC`,
          };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false, // put email/name in the ID token, which is what next-auth reads
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['local-oidc-provider-cookie-key-0123456789'] },
  });
  const server: Server = provider.listen(opts.port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { issuer, clientId, clientSecret, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
