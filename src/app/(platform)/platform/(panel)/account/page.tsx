import type { Metadata } from 'next';
import { requirePlatformSession } from '../../_ui/session';
import { MfaSettings } from './mfa-settings';

export const metadata: Metadata = { title: 'Security' };

export default async function AccountPage() {
  const session = await requirePlatformSession();
  return (
    <div className="max-w-2xl space-y-5">
      <h1 className="text-2xl font-semibold tracking-tight">Security</h1>
      <p className="text-muted-foreground text-sm">
        Signed in as <strong>{session.email}</strong>. {session.recoveryCodesLeft} recovery codes left.
      </p>
      <MfaSettings />
    </div>
  );
}
