import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { requireSession } from '../../_lib/request-session';
import { requestOrg } from '../../_lib/request-org';
import { AdminNav } from './_ui/admin-nav';
import { AbilityProvider } from '@/lib/ability';

export const metadata: Metadata = { title: { default: 'Admin', template: '%s · Admin' } };

/** The tenant admin console: signed-in users only; what each sees is decided by their ability. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireSession('/admin/users');
  const org = await requestOrg();
  return (
    <AbilityProvider>
      <div className="flex min-h-screen flex-col">
        <header className="bg-primary text-primary-foreground">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <span className="font-semibold">{org?.branding.appName || org?.name} · Admin</span>
            <AdminNav />
            <a href="/account" className="ml-auto text-sm opacity-90 hover:underline" data-testid="admin-user">
              {user.name} <span className="opacity-75">({user.role})</span>
            </a>
          </div>
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </div>
    </AbilityProvider>
  );
}
