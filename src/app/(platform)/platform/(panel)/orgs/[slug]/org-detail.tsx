'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/trpc/client';
import { ErrorText, Loading } from '../../../_ui/ui';
import { BrandingEditor } from './branding-editor';
import { DomainsCard } from './domains-card';
import { FeaturesPlan } from './features-plan';
import { OrgOverview } from './org-overview';
import type { AdminOrg } from './org-types';
import { SecretsForm } from './secrets-form';

/** One organisation: overview and lifecycle, branding, features and plan, sign-in secrets, domains. */
export function OrgDetail({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const org = useQuery(trpc.platform.orgs.get.queryOptions({ slug }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.platform.orgs.get.queryKey({ slug }) });

  if (org.isPending) return <Loading what="the organisation" />;
  if (org.error)
    return (
      <div className="space-y-3">
        <ErrorText error={org.error} />
        <Link href="/" className="text-primary text-sm underline">
          Back to organisations
        </Link>
      </div>
    );
  const data = org.data as unknown as AdminOrg;
  return (
    <div className="space-y-6">
      <nav className="text-sm">
        <Link href="/" className="text-primary hover:underline">
          Organisations
        </Link>{' '}
        / <span className="text-muted-foreground">{data.slug}</span>
      </nav>
      <OrgOverview org={data} onChanged={refresh} />
      <BrandingEditor key={`b-${data.slug}`} org={data} onSaved={refresh} />
      <FeaturesPlan key={`f-${data.slug}`} org={data} onSaved={refresh} />
      <SecretsForm org={data} onSaved={refresh} />
      <DomainsCard org={data} onChanged={refresh} />
    </div>
  );
}
