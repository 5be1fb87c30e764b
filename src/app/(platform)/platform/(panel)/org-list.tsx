'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDeferredValue, useState } from 'react';
import { ORG_STATUSES } from '@/server/db/models/platform/org-constants';
import { useTRPC } from '@/trpc/client';
import { formatBytes } from '../_ui/format';
import { Badge, ErrorText, inputClass, Loading } from '../_ui/ui';

/** Search by slug, name or domain; filter by status; usage per organisation. */
export function OrgList() {
  const trpc = useTRPC();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<(typeof ORG_STATUSES)[number] | ''>('');
  const query = useDeferredValue(q.trim());
  const list = useQuery({
    ...trpc.platform.orgs.list.queryOptions({ q: query || undefined, status: status || undefined, limit: 100 }),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 sm:flex-row">
        <div className="flex-1">
          <label htmlFor="org-search" className="sr-only">
            Search organisations
          </label>
          <input
            id="org-search"
            type="search"
            className={inputClass}
            placeholder="Search by slug, name or domain"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="org-status" className="sr-only">
            Status
          </label>
          <select
            id="org-status"
            className={inputClass}
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
          >
            <option value="">All statuses</option>
            {ORG_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorText error={list.error} />
      {list.isPending ? (
        <Loading what="organisations" />
      ) : list.data && list.data.organizations.length === 0 ? (
        <div className="border-border bg-background rounded-xl border p-8 text-center" data-testid="orgs-empty">
          <p className="font-medium">{query || status ? 'No organisation matches.' : 'No organisations yet.'}</p>
          <p className="text-muted-foreground mt-1 text-sm">
            {query || status ? (
              'Try another search.'
            ) : (
              <Link className="text-primary underline" href="/orgs/new">
                Provision the first one
              </Link>
            )}
          </p>
        </div>
      ) : (
        <div className="border-border bg-background overflow-x-auto rounded-xl border shadow-sm">
          {/* Phones get one card per organisation; wider screens the table. */}
          <ul className="divide-border divide-y sm:hidden">
            {list.data?.organizations.map((o) => (
              <li key={o.id} className="space-y-1 px-4 py-3 text-sm">
                <div className="flex items-center justify-between gap-2">
                  <Link href={`/orgs/${o.slug}`} className="text-primary font-medium">
                    {o.name}
                  </Link>
                  <Badge>{o.status}</Badge>
                </div>
                <p className="text-muted-foreground text-xs">
                  {o.slug} · <span className="capitalize">{o.plan?.tier}</span>
                </p>
                <p className="text-xs tabular-nums">
                  {o.usage?.users ?? 0}/{o.plan?.maxUsers} users · {formatBytes(o.usage?.storageBytes)} ·{' '}
                  {o.usage?.conversations ?? 0} conversations
                </p>
              </li>
            ))}
          </ul>
          <table className="hidden w-full min-w-[640px] text-left text-sm sm:table" data-testid="orgs-table">
            <thead className="text-muted-foreground border-border border-b text-xs uppercase">
              <tr>
                <th className="px-4 py-2.5 font-medium">Organisation</th>
                <th className="px-4 py-2.5 font-medium">Status</th>
                <th className="px-4 py-2.5 font-medium">Plan</th>
                <th className="px-4 py-2.5 text-right font-medium">Users</th>
                <th className="px-4 py-2.5 text-right font-medium">Storage</th>
                <th className="px-4 py-2.5 text-right font-medium">Conversations</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.organizations.map((o) => (
                <tr key={o.id} className="border-border border-b last:border-0 hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link href={`/orgs/${o.slug}`} className="text-primary font-medium hover:underline">
                      {o.name}
                    </Link>
                    <div className="text-muted-foreground text-xs">{o.slug}</div>
                  </td>
                  <td className="px-4 py-3">
                    <Badge>{o.status}</Badge>
                  </td>
                  <td className="px-4 py-3 capitalize">{o.plan?.tier}</td>
                  <td className="px-4 py-3 text-right tabular-nums">
                    {o.usage?.users ?? 0} / {o.plan?.maxUsers}
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">
                    {formatBytes(o.usage?.storageBytes)} / {formatBytes((o.plan?.maxStorageMB ?? 0) * 1024 * 1024)}
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">{o.usage?.conversations ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-muted-foreground px-4 py-2 text-xs">{list.data?.total} organisation(s)</p>
        </div>
      )}
    </div>
  );
}
