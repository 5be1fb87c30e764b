import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { BranchesAdmin } from './branches-admin';

export const metadata: Metadata = { title: 'Branches' };

export default function BranchesPage() {
  return (
    <>
      <PageTitle title="Branches" description="Your locations; Branch Managers see their branch's conversations and reports." />
      <RequireAbility action="update" subject="Branch">
        <BranchesAdmin />
      </RequireAbility>
    </>
  );
}
