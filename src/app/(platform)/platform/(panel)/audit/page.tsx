import type { Metadata } from 'next';
import { AuditTable } from './audit-table';

export const metadata: Metadata = { title: 'Audit log' };

export default function AuditPage() {
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold tracking-tight">Platform audit log</h1>
      <AuditTable />
    </div>
  );
}
