import Link from 'next/link';
import type { ReactNode } from 'react';
import { requirePlatformSession } from '../_ui/session';
import { NavLinks } from './nav-links';
import { SignOutButton } from './sign-out-button';

/** Every panel page: signed-in super admin with MFA (otherwise -> /sign-in), header navigation. */
export default async function PanelLayout({ children }: { children: ReactNode }) {
  const session = await requirePlatformSession();
  return (
    <div className="min-h-screen">
      <header className="bg-foreground text-background">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/" className="font-semibold">
            Platform admin
          </Link>
          <NavLinks />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden opacity-80 sm:inline" data-testid="operator-email">
              {session.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      {session.recoveryCodesLeft <= 2 && (
        <p className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900" role="status">
          Only {session.recoveryCodesLeft} recovery codes left.{' '}
          <Link className="underline" href="/account">
            Create new ones
          </Link>
          .
        </p>
      )}
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
    </div>
  );
}
