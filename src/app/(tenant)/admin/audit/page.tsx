import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { AuditViewer } from './audit-viewer';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <>
      <PageTitle title="Audit log" description="Every administrative change: who, what, when, from where, before and after. Entries cannot be edited or removed." />
      <RequireAbility action="read" subject="AuditLog">
        <AuditViewer />
      </RequireAbility>
    </>
  );
}
