import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { SlaAdmin } from './sla-admin';

export const metadata: Metadata = { title: 'SLA' };

export default function SlaPage() {
  return (
    <>
      <PageTitle title="Service levels" description="First-response and resolution targets per priority and team, counted in business hours when you set them." />
      <RequireAbility action="update" subject="SlaPolicy">
        <SlaAdmin />
      </RequireAbility>
    </>
  );
}
