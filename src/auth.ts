import NextAuth from 'next-auth';
import { headers } from 'next/headers';
import { oidcConfigFor } from '@/server/auth/oidc-config';

/**
 * next-auth v5, initialised lazily per request so each organisation gets its own provider and
 * secret. `auth()`/`signIn()` outside a route handler get no request: the host comes from headers().
 */
export const { handlers, auth, signIn } = NextAuth(async (req) => oidcConfigFor(req ? req.headers : await headers()));
