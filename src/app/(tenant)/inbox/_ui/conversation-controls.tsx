'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cap, PRIORITIES, STATUSES } from './labels';
import type { Me } from './workspace';
import { useAbility } from '@/lib/ability';
import { useTRPC } from '@/trpc/client';

interface Conv {
  id: string;
  status: (typeof STATUSES)[number];
  priority?: string | null;
  assigneeId?: unknown;
}

const select = 'border-border bg-background rounded-md border px-2 py-1 text-sm';

/** Status, priority and assignment. The server checks each change again; errors are shown in words. */
export function ConversationControls({ conv, me }: { conv: Conv; me: Me }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: trpc.pathKey() });
  const status = useMutation(trpc.workspace.setStatus.mutationOptions({ onSuccess }));
  const priority = useMutation(trpc.workspace.setPriority.mutationOptions({ onSuccess }));
  const reassign = useMutation(trpc.conversations.reassign.mutationOptions({ onSuccess }));
  const canReassign = useAbility().can('reassign', 'Conversation');
  const agents = useQuery(
    trpc.assignment.agents.queryOptions(undefined, { enabled: canReassign, staleTime: 5_000, refetchInterval: 10_000 }),
  ); // presence and load move on their own
  const assignee = conv.assigneeId ? String(conv.assigneeId) : null;
  const assigneeName = agents.data?.find((a) => a.id === assignee)?.displayName;
  const error = status.error ?? priority.error ?? reassign.error;
  return (
    <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
      {canReassign && agents.data ? (
        <>
          <label className="sr-only" htmlFor="conv-assignee">
            Assigned to
          </label>
          <select
            id="conv-assignee"
            data-testid="assignee"
            className={select}
            value={assignee ?? ''}
            disabled={reassign.isPending}
            onChange={(e) => reassign.mutate({ id: conv.id, assigneeId: e.target.value || null })}
          >
            <option value="">Unassigned</option>
            {agents.data.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id === me.id ? `${a.displayName} (you)` : a.displayName} · {a.presence}, {a.load}/{a.capacity ?? '∞'}
              </option>
            ))}
          </select>
        </>
      ) : (
        <span data-testid="assignee" className="text-muted-foreground">
          {assignee === me.id ? 'Assigned to you' : assignee ? `Assigned to ${assigneeName ?? 'a colleague'}` : 'Unassigned'}
        </span>
      )}
      <label className="sr-only" htmlFor="conv-status">
        Status
      </label>
      <select
        id="conv-status"
        className={select}
        value={conv.status}
        disabled={status.isPending}
        onChange={(e) => status.mutate({ conversationId: conv.id, status: e.target.value as Conv['status'] })}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s === 'snoozed' ? 'Snoozed (1 h)' : cap(s)}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="conv-priority">
        Priority
      </label>
      <select
        id="conv-priority"
        className={select}
        value={conv.priority ?? 'normal'}
        disabled={priority.isPending}
        onChange={(e) => priority.mutate({ conversationId: conv.id, priority: e.target.value as (typeof PRIORITIES)[number] })}
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {cap(p)} priority
          </option>
        ))}
      </select>
      {error && (
        <p role="alert" className="text-destructive w-full text-right text-xs">
          {error.message}
        </p>
      )}
    </div>
  );
}
