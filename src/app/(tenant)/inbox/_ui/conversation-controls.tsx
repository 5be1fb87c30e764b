'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { cap, PRIORITIES, STATUSES } from './labels';
import type { Me } from './workspace';
import { Can } from '@/lib/ability';
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
  const assignee = conv.assigneeId ? String(conv.assigneeId) : null;
  const error = status.error ?? priority.error ?? reassign.error;
  return (
    <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
      <span data-testid="assignee" className="text-muted-foreground">
        {assignee === me.id ? 'Assigned to you' : assignee ? 'Assigned to a colleague' : 'Unassigned'}
      </span>
      <Can I="reassign" a="Conversation">
        {assignee !== me.id && (
          <button
            type="button"
            className="border-border hover:bg-muted rounded-md border px-2 py-1"
            onClick={() => reassign.mutate({ id: conv.id, assigneeId: me.id })}
          >
            Assign to me
          </button>
        )}
        {assignee && (
          <button
            type="button"
            className="border-border hover:bg-muted rounded-md border px-2 py-1"
            onClick={() => reassign.mutate({ id: conv.id, assigneeId: null })}
          >
            Unassign
          </button>
        )}
      </Can>
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
