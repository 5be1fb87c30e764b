import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { RolesAdmin } from './roles-admin';

export const metadata: Metadata = { title: 'Roles' };

export default function RolesPage() {
  return (
    <>
      <PageTitle title="Roles" description="What each role can do, in plain words. Changes apply to everyone with the role within a second." />
      <RequireAbility action="read" subject="Role">
        <RolesAdmin />
      </RequireAbility>
    </>
  );
}
