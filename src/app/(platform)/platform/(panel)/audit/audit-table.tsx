'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { formatDate } from '../../_ui/format';
import { Button, ErrorText, inputClass, Labelled, Loading } from '../../_ui/ui';

/** Newest first; filter by organisation and action; page back by sequence number. */
export function AuditTable() {
  const trpc = useTRPC();
  const [orgSlug, setOrgSlug] = useState('');
  const [action, setAction] = useState('');
  const [cursors, setCursors] = useState<number[]>([]);
  const filters = { orgSlug: useDeferredValue(orgSlug.trim().toLowerCase()), action: useDeferredValue(action.trim()) };
  const valid =
    (!filters.orgSlug || /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/.test(filters.orgSlug)) &&
    (!filters.action || /^[a-z][a-z0-9._-]{0,80}$/.test(filters.action));
  const beforeSeq = cursors[cursors.length - 1];
  const list = useQuery({
    ...trpc.platform.audit.list.queryOptions({
      orgSlug: filters.orgSlug || undefined,
      action: filters.action || undefined,
      beforeSeq,
      limit: 50,
    }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  const resetPaging = () => setCursors([]);
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Labelled id="audit-org" label="Organisation (slug)">
          <input
            id="audit-org"
            className={inputClass}
            value={orgSlug}
            onChange={(e) => (setOrgSlug(e.target.value), resetPaging())}
            placeholder="all"
          />
        </Labelled>
        <Labelled id="audit-action" label="Action">
          <input
            id="audit-action"
            className={inputClass}
            value={action}
            onChange={(e) => (setAction(e.target.value), resetPaging())}
            placeholder="e.g. org.suspended, superadmin.signin"
            list="audit-actions"
          />
          <datalist id="audit-actions">
            {[
              'org.provisioned',
              'org.settings.updated',
              'org.secrets.updated',
              'org.suspended',
              'org.reactivated',
              'org.domain.added',
              'org.domain.verified',
              'org.domain.removed',
              'org.invitation.sent',
              'superadmin.signin',
              'superadmin.signin.failed',
              'superadmin.locked',
              'superadmin.mfa.enrolled',
            ].map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </Labelled>
      </div>
      {!valid && <ErrorText error="Slugs are lower-case letters, digits and hyphens; actions look like org.suspended." />}
      <ErrorText error={list.error} />
      {list.isPending && valid ? (
        <Loading what="the audit log" />
      ) : list.data?.length === 0 ? (
        <p
          className="border-border bg-background text-muted-foreground rounded-xl border p-8 text-center text-sm"
          data-testid="audit-empty"
        >
          No entries match these filters.
        </p>
      ) : (
        <div className="border-border bg-background overflow-x-auto rounded-xl border shadow-sm">
          <table className="w-full min-w-[720px] text-left text-sm" data-testid="audit-table">
            <thead className="text-muted-foreground border-border border-b text-xs uppercase">
              <tr>
                <th className="px-4 py-2.5 font-medium">#</th>
                <th className="px-4 py-2.5 font-medium">When</th>
                <th className="px-4 py-2.5 font-medium">Action</th>
                <th className="px-4 py-2.5 font-medium">Who</th>
                <th className="px-4 py-2.5 font-medium">Organisation</th>
                <th className="px-4 py-2.5 font-medium">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.map((e) => (
                <tr key={e.id} className="border-border border-b align-top last:border-0">
                  <td className="text-muted-foreground px-4 py-2.5 tabular-nums">{e.seq}</td>
                  <td className="px-4 py-2.5 whitespace-nowrap">{formatDate(e.timestamp)}</td>
                  <td className="px-4 py-2.5 font-mono text-xs">{e.action}</td>
                  <td className="px-4 py-2.5">
                    {e.actorEmail ?? e.actorType}
                    {e.ipAddress && <div className="text-muted-foreground text-xs">{e.ipAddress}</div>}
                  </td>
                  <td className="px-4 py-2.5">{e.orgSlug ?? '—'}</td>
                  <td className="text-muted-foreground max-w-xs px-4 py-2.5 font-mono text-xs break-all">
                    {e.details ? JSON.stringify(e.details).slice(0, 200) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex gap-3">
        <Button variant="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </Button>
        <Button
          variant="secondary"
          disabled={!list.data || list.data.length < 50}
          onClick={() => setCursors([...cursors, list.data![list.data!.length - 1]!.seq as number])}
        >
          Older
        </Button>
      </div>
    </div>
  );
}
