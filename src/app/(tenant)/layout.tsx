import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { brandStyle } from '../_components/brand-style';
import { requestOrg } from '../_lib/request-org';
import { TrpcProvider } from '@/trpc/client';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const org = await requestOrg();
  if (!org) return {};
  const appName = org.branding.appName || org.name;
  return {
    title: { default: appName, template: `%s · ${appName}` },
    ...(org.branding.favicon ? { icons: { icon: org.branding.favicon } } : {}),
  };
}

/** Every tenant page: the organisation's colours as CSS variables, rendered on the server. */
export default async function TenantLayout({ children }: { children: ReactNode }) {
  const org = await requestOrg();
  if (!org) notFound();
  const appName = org.branding.appName || org.name;
  if (org.status !== 'active') {
    return (
      <main style={brandStyle(org.branding.colors)} className="bg-background flex min-h-screen items-center justify-center p-6">
        <div className="border-border max-w-md rounded-xl border bg-white p-8 text-center shadow-sm" data-testid="workspace-unavailable">
          <h1 className="text-xl font-semibold">{appName}</h1>
          <p className="text-muted-foreground mt-2">
            {org.status === 'suspended'
              ? 'This workspace is suspended. Contact your administrator.'
              : 'This workspace is being prepared. Try again in a minute.'}
          </p>
        </div>
      </main>
    );
  }
  return (
    <div style={brandStyle(org.branding.colors)} className="bg-background text-foreground min-h-screen" data-org={org.slug}>
      <TrpcProvider>{children}</TrpcProvider>
    </div>
  );
}
