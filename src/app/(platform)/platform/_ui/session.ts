import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getSuperAdminSession } from '@/server/services/platform-auth';

/** The signed-in super admin of this request (platform host only), read once per request. */
export const platformSession = cache(async () => getSuperAdminSession(new Headers(await headers())));

export async function requirePlatformSession() {
  const session = await platformSession();
  if (!session) redirect('/sign-in');
  return session;
}
