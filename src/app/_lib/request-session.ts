import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getSessionUser } from '@/server/auth/session';
import { requestOrg } from './request-org';

/**
 * The signed-in user of this request's organisation, for server components (`auth()` has no request
 * there, so the host comes from the headers middleware normalised).
 */
export const requestSession = cache(async () => {
  const org = await requestOrg();
  if (!org) return null;
  return getSessionUser(await headers(), org.slug);
});

/**
 * Pages that need a user: without a valid access session, go through the refresh endpoint (the
 * refresh cookie is scoped to /api/session, so only it can tell); it rotates the session and comes
 * back, or sends the browser to sign-in.
 */
export async function requireSession(path: string) {
  const user = await requestSession();
  if (user) return user;
  redirect(`/api/session/refresh?next=${encodeURIComponent(path)}`);
}
