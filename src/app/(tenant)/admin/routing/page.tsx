import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { RoutingAdmin } from './routing-admin';
import { TryMessage } from './try-message';

export const metadata: Metadata = { title: 'Routing' };

export default function RoutingPage() {
  return (
    <>
      <PageTitle title="Routing rules" description="Rules are tried from top to bottom; the first whose conditions all hold sets the team, skills, priority and labels." />
      <RequireAbility action="update" subject="RoutingRule">
        <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <RoutingAdmin />
          <TryMessage />
        </div>
      </RequireAbility>
    </>
  );
}
