import type { Metadata } from 'next';
import Link from 'next/link';
import { OrgList } from './org-list';

export const metadata: Metadata = { title: 'Organisations' };

export default function OrganisationsPage() {
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Organisations</h1>
        <Link
          href="/orgs/new"
          className="bg-primary text-primary-foreground rounded-md px-3.5 py-2 text-sm font-medium shadow-sm"
        >
          New organisation
        </Link>
      </div>
      <OrgList />
    </div>
  );
}
