import type { Metadata } from 'next';
import Link from 'next/link';
import { requestOrg } from '../../_lib/request-org';
import { requireSession } from '../../_lib/request-session';
import { SessionKeepAlive } from '../_auth/session-keep-alive';
import { SignOutButton } from './sign-out-button';

export const metadata: Metadata = { title: 'Your account' };

/** Where sign-in lands until the agent workspace exists: who you are here, and the way out. */
export default async function AccountPage() {
  const user = await requireSession('/account');
  const org = await requestOrg();
  if (!org) return null;
  return (
    <main className="mx-auto w-full max-w-2xl px-4 py-10 sm:py-16">
      <SessionKeepAlive />
      <p className="text-muted-foreground text-sm font-medium">{org.branding.appName || org.name}</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight sm:text-3xl" data-testid="signed-in-as">
        Signed in as {user.name}
      </h1>
      <dl className="border-border mt-6 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border p-4 text-sm">
        <dt className="text-muted-foreground">Email</dt>
        <dd data-testid="account-email">{user.email}</dd>
        <dt className="text-muted-foreground">Role</dt>
        <dd data-testid="account-role">{user.role}</dd>
      </dl>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/" className="bg-primary text-primary-foreground rounded-md px-4 py-2 font-medium">
          Home
        </Link>
        <SignOutButton />
      </div>
    </main>
  );
}
