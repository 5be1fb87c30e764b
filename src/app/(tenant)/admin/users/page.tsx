import type { Metadata } from 'next';
import { RequireAbility, PageTitle } from '../_ui/kit';
import { InviteForm } from './invite-form';
import { UsersTable } from './users-table';

export const metadata: Metadata = { title: 'Users' };

export default function UsersPage() {
  return (
    <>
      <PageTitle title="Users" description="Invite people, give them a role, teams and a branch, and deactivate those who leave." />
      <RequireAbility action="update" subject="User">
        <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
          <UsersTable />
          <InviteForm />
        </div>
      </RequireAbility>
    </>
  );
}
