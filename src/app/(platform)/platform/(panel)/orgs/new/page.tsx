import type { Metadata } from 'next';
import { DEFAULT_BRAND_COLORS, PLAN_DEFAULTS } from '@/server/db/models/platform/org-constants';
import { DEFAULT_CHANNEL_TYPES } from '@/server/tenancy/org-input';
import { ProvisionWizard } from './provision-wizard';

export const metadata: Metadata = { title: 'New organisation' };

export default function NewOrganisationPage() {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold tracking-tight">New organisation</h1>
      <ProvisionWizard defaults={{ colors: DEFAULT_BRAND_COLORS, plans: PLAN_DEFAULTS, channelTypes: DEFAULT_CHANNEL_TYPES }} />
    </div>
  );
}
