import type { Metadata } from 'next';
import { requestOrg } from '../../_lib/request-org';
import { requireSession } from '../../_lib/request-session';
import { SessionKeepAlive } from '../_auth/session-keep-alive';
import { Workspace } from './_ui/workspace';
import { AbilityProvider } from '@/lib/ability';

export const metadata: Metadata = { title: 'Inbox' };

/** The agent workspace: every channel's conversations in one live inbox. */
export default async function InboxPage() {
  const user = await requireSession('/inbox');
  const org = await requestOrg();
  return (
    <AbilityProvider>
      <SessionKeepAlive />
      <Workspace
        appName={org?.branding.appName || org?.name || 'Inbox'}
        user={{ id: user.id, name: user.name, role: user.role }}
      />
    </AbilityProvider>
  );
}
