import type { Metadata } from 'next';
import { OrgDetail } from './org-detail';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: (await params).slug };
}

export default async function OrganisationPage({ params }: { params: Promise<{ slug: string }> }) {
  return <OrgDetail slug={(await params).slug} />;
}
