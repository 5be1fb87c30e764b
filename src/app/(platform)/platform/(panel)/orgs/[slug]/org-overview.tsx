'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { formatBytes, formatDate } from '../../../_ui/format';
import { Badge, Button, Card, ErrorText, Labelled, Notice, inputClass } from '../../../_ui/ui';
import type { AdminOrg } from './org-types';

/** Status, address, usage; suspend (with a reason) and reactivate; resend the first invitation. */
export function OrgOverview({ org, onChanged }: { org: AdminOrg; onChanged: () => void }) {
  const trpc = useTRPC();
  const [reason, setReason] = useState('');
  const [invitee, setInvitee] = useState('');
  const opts = { onSuccess: onChanged };
  const suspend = useMutation(trpc.platform.orgs.suspend.mutationOptions(opts));
  const reactivate = useMutation(trpc.platform.orgs.reactivate.mutationOptions(opts));
  const usage = useMutation(trpc.platform.orgs.refreshUsage.mutationOptions(opts));
  const resend = useMutation(trpc.platform.orgs.resendInvitation.mutationOptions());
  const u = org.usage ?? {};
  const stats = [
    ['Users', `${u.users ?? 0} / ${org.plan.maxUsers}`],
    ['Storage', `${formatBytes(u.storageBytes)} / ${formatBytes(org.plan.maxStorageMB * 1024 * 1024)}`],
    ['Conversations', String(u.conversations ?? 0)],
  ];
  return (
    <Card
      title={org.name}
      description={`Created ${formatDate(org.createdAt)} · usage counted ${formatDate(u.reconciledAt)}`}
      actions={
        <span className="flex items-center gap-2" data-testid="org-status">
          <Badge>{org.status}</Badge>
        </span>
      }
    >
      <div className="space-y-5">
        <a href={org.url} target="_blank" rel="noreferrer" className="text-primary text-sm break-all hover:underline">
          {org.url}
        </a>
        <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {stats.map(([k, v]) => (
            <div key={k} className="bg-muted rounded-lg p-3">
              <dt className="text-muted-foreground text-xs">{k}</dt>
              <dd className="text-lg font-semibold tabular-nums">{v}</dd>
            </div>
          ))}
        </dl>
        <Button variant="secondary" busy={usage.isPending} onClick={() => usage.mutate({ slug: org.slug })}>
          Recount usage
        </Button>
        <ErrorText error={suspend.error ?? reactivate.error ?? usage.error} />
        {org.status === 'suspended' ? (
          <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
            <p>
              Suspended{org.statusReason ? `: ${org.statusReason}` : ''}. Its pages show a notice, API calls and sockets are
              refused; webhooks are stored until reactivation.
            </p>
            <Button busy={reactivate.isPending} onClick={() => reactivate.mutate({ slug: org.slug })}>
              Reactivate
            </Button>
          </div>
        ) : (
          <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <div className="flex-1">
              <Labelled id="suspend-reason" label="Reason for suspension (optional)">
                <input
                  id="suspend-reason"
                  className={inputClass}
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setReason(e.target.value)}
                />
              </Labelled>
            </div>
            <Button
              variant="danger"
              busy={suspend.isPending}
              onClick={() =>
                window.confirm(`Suspend ${org.name}? Its users are signed out at once.`) &&
                suspend.mutate({ slug: org.slug, ...(reason ? { reason } : {}) })
              }
            >
              Suspend
            </Button>
          </div>
        )}
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            resend.mutate({ slug: org.slug, email: invitee });
          }}
        >
          <div className="flex-1">
            <Labelled id="resend-email" label="Resend an invitation (pending users only)">
              <input
                id="resend-email"
                type="email"
                required
                className={inputClass}
                value={invitee}
                onChange={(e) => setInvitee(e.target.value)}
              />
            </Labelled>
          </div>
          <Button type="submit" variant="secondary" busy={resend.isPending}>
            Resend
          </Button>
        </form>
        <ErrorText error={resend.error} />
        {resend.data &&
          (resend.data.sent ? <Notice>Invitation sent.</Notice> : <ErrorText error={`Not sent: ${resend.data.error}`} />)}
      </div>
    </Card>
  );
}
