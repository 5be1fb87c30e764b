import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TrpcProvider } from '@/trpc/client';

export const dynamic = 'force-dynamic';

/** The operator panel on PLATFORM_HOST: the platform's own look (theme defaults), never a tenant's. */
export const metadata: Metadata = { title: { default: 'Platform admin', template: '%s · Platform admin' } };

export default function PlatformLayout({ children }: { children: ReactNode }) {
  return (
    <div className="bg-muted text-foreground min-h-screen" data-area="platform">
      <TrpcProvider>{children}</TrpcProvider>
    </div>
  );
}
