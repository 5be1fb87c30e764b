import type { Metadata } from 'next';
import { PageTitle, RequireAbility } from '../_ui/kit';
import { TemplatesAdmin } from './templates-admin';

export const metadata: Metadata = { title: 'Templates' };

export default function TemplatesPage() {
  return (
    <>
      <PageTitle title="Message templates" description="Pre-approved WhatsApp messages with variables, for customers whose 24-hour reply window has closed." />
      <RequireAbility action="update" subject="Template">
        <TemplatesAdmin />
      </RequireAbility>
    </>
  );
}
