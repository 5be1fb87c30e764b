'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, Empty, ErrorText, Field, Loading } from '../_ui/kit';

interface Filters {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

const dayStart = (v: string) => (v ? new Date(`${v}T00:00:00`) : undefined);
const dayEnd = (v: string) => (v ? new Date(`${v}T23:59:59.999`) : undefined);

/** Filter by actor, action (prefix) and dates; newest first, 50 at a time. */
export function AuditViewer() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ actor: '', action: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>({});
  const log = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      { ...filters, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ actor: draft.actor || undefined, action: draft.action || undefined, from: dayStart(draft.from), to: dayEnd(draft.to) });
  };
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="space-y-6">
      <Card title="Filters">
        <form onSubmit={apply} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_10rem_auto] lg:items-end" aria-label="Audit filters">
          <Field id="audit-actor" label="Actor (email or id)" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
          <Field id="audit-action" label="Action (e.g. user. or role.updated)" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
          <Field id="audit-from" label="From" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          <Field id="audit-to" label="To" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          <Button type="submit">Apply</Button>
        </form>
      </Card>
      <ErrorText error={log.error} />
      {log.isPending && <Loading what="the audit log" />}
      {!log.isPending && entries.length === 0 && <Empty>No entries match these filters.</Empty>}
      <ol className="space-y-2" data-testid="audit-entries">
        {entries.map((e) => (
          <li key={e._id} className="border-border rounded-lg border p-3 text-sm">
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <span className="font-mono text-xs">#{e.seq}</span>
              <span className="font-medium" data-testid="audit-action">{e.action}</span>
              <span className="text-muted-foreground">
                {e.target?.type} {e.target?.id}
              </span>
              <time className="text-muted-foreground ml-auto text-xs" dateTime={new Date(e.timestamp).toISOString()}>
                {new Date(e.timestamp).toLocaleString()}
              </time>
            </div>
            <p className="text-muted-foreground mt-1 text-xs">
              by {e.actorEmail ?? e.actorId ?? e.actorType} {e.ipAddress ? `from ${e.ipAddress}` : ''}
            </p>
            <details className="mt-2">
              <summary className="cursor-pointer text-xs font-medium">Before and after</summary>
              <pre className="bg-muted mt-2 max-h-80 overflow-auto rounded p-2 text-xs whitespace-pre-wrap">{JSON.stringify(e.details, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {log.hasNextPage && (
        <Button variant="secondary" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Load older entries
        </Button>
      )}
    </div>
  );
}
