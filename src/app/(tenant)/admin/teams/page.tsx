import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { TeamsAdmin } from './teams-admin';

export const metadata: Metadata = { title: 'Teams' };

export default function TeamsPage() {
  return (
    <>
      <PageTitle title="Teams" description="Groups that conversations are routed to; Team Leads see and reassign their teams' work." />
      <RequireAbility action="update" subject="Team">
        <TeamsAdmin />
      </RequireAbility>
    </>
  );
}
