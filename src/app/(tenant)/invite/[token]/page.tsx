import type { Metadata } from 'next';
import { invitationEmail } from '@/server/services/identity/invitations';
import { requestOrg } from '../../../_lib/request-org';
import { AuthCard } from '../../_auth/auth-card';
import { LinkProblem, NewPasswordForm } from '../../_auth/new-password-form';

export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const org = await requestOrg();
  if (!org) return null;
  const { token } = await params;
  const appName = org.branding.appName || org.name;
  const email = await invitationEmail(org.slug, token);
  return (
    <AuthCard appName={appName} logo={org.branding.logo} title={`Join ${appName}`}>
      {email ? (
        <div className="space-y-4">
          <p className="text-muted-foreground text-sm">
            Choose a password for <strong className="text-foreground">{email}</strong>.
          </p>
          <NewPasswordForm endpoint="/api/session/accept-invite" token={token} submit="Create account" done="/account" askName />
        </div>
      ) : (
        <LinkProblem text="This invitation link is invalid, has expired or was already used. Ask your administrator for a new one." />
      )}
    </AuthCard>
  );
}
