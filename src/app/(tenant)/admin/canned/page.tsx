import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { CannedAdmin } from './canned-admin';

export const metadata: Metadata = { title: 'Canned responses' };

export default function CannedPage() {
  return (
    <>
      <PageTitle title="Canned responses" description="Shared answers agents insert with a shortcut, so common questions get the same good answer every time." />
      <RequireAbility action="update" subject="Settings">
        <CannedAdmin />
      </RequireAbility>
    </>
  );
}
