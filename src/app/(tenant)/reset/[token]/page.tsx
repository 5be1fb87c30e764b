import type { Metadata } from 'next';
import { resetLinkValid } from '@/server/services/identity/password-reset';
import { requestOrg } from '../../../_lib/request-org';
import { AuthCard } from '../../_auth/auth-card';
import { LinkProblem, NewPasswordForm } from '../../_auth/new-password-form';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const org = await requestOrg();
  if (!org) return null;
  const { token } = await params;
  const valid = await resetLinkValid(org.slug, token);
  return (
    <AuthCard appName={org.branding.appName || org.name} logo={org.branding.logo} title="Choose a new password">
      {valid ? (
        <NewPasswordForm endpoint="/api/session/reset" token={token} submit="Save password" done="/sign-in?reset=1" />
      ) : (
        <LinkProblem text="This reset link is invalid, has expired or was already used. Ask for a new one from the sign-in page." />
      )}
    </AuthCard>
  );
}
