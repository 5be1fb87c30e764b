import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { InboxesAdmin } from './inboxes-admin';

export const metadata: Metadata = { title: 'Inboxes' };

export default function InboxesPage() {
  return (
    <>
      <PageTitle title="Inboxes" description="The channels customers write to you on: connect each one, replace its secrets, or disable it." />
      <RequireAbility action="update" subject="Inbox">
        <InboxesAdmin />
      </RequireAbility>
    </>
  );
}
