'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FilterState } from './filters';
import { cap, CHANNEL_LABELS, timeAgo, type VIEW_LABELS } from './labels';
import { useTRPC } from '@/trpc/client';

/**
 * The list for one view and filter set. Keyboard: j / ArrowDown and k / ArrowUp move, Enter opens
 * (a roving focus over the rows, so screen readers follow it too).
 */
export function ConversationList(props: {
  view: keyof typeof VIEW_LABELS;
  filters: FilterState;
  openId: string | null;
  onOpen: (id: string) => void;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.workspace.list.queryOptions({ view: props.view, ...props.filters } as never));
  const [active, setActive] = useState(0);
  const refs = useRef<Array<HTMLLIElement | null>>([]);
  const rows = list.data ?? [];
  useEffect(() => setActive((a) => Math.min(a, Math.max(0, rows.length - 1))), [rows.length]);

  const onKey = (e: React.KeyboardEvent) => {
    const move = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
    if (move) {
      e.preventDefault();
      const next = Math.min(rows.length - 1, Math.max(0, active + move));
      setActive(next);
      refs.current[next]?.focus();
    } else if (e.key === 'Enter' && rows[active]) props.onOpen(rows[active].id);
  };

  if (list.isPending) return <p className="text-muted-foreground p-4 text-sm">Loading conversations…</p>;
  if (list.error)
    return (
      <p role="alert" className="text-destructive p-4 text-sm">
        Could not load conversations: {list.error.message}
      </p>
    );
  if (rows.length === 0)
    return (
      <p className="text-muted-foreground p-4 text-sm" data-testid="inbox-empty">
        No conversations here{props.filters.q ? ' match your search' : ''}.
      </p>
    );
  return (
    <ul
      role="listbox"
      aria-label="Conversations"
      className="min-h-0 flex-1 overflow-y-auto"
      onKeyDown={onKey}
      data-testid="conversation-list"
    >
      {rows.map((c, i) => (
        <li
          key={c.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="option"
          aria-selected={props.openId === c.id}
          tabIndex={i === active ? 0 : -1}
          onClick={() => {
            setActive(i);
            props.onOpen(c.id);
          }}
          onFocus={() => setActive(i)}
          data-conversation={c.id}
          className={`border-border cursor-pointer border-b px-3 py-2.5 outline-none focus-visible:ring-2 focus-visible:ring-[var(--color-primary)] focus-visible:ring-inset ${props.openId === c.id ? 'bg-muted' : 'hover:bg-muted/60'}`}
        >
          <div className="flex items-center gap-2">
            <span className={`truncate ${c.unreadCount > 0 ? 'font-semibold' : 'font-medium'}`}>{c.customerName}</span>
            {c.unreadCount > 0 && (
              <span
                className="bg-primary text-primary-foreground rounded-full px-1.5 text-xs"
                aria-label={`${c.unreadCount} unread`}
              >
                {c.unreadCount}
              </span>
            )}
            <span className="text-muted-foreground ml-auto shrink-0 text-xs">
              {timeAgo(c.lastMessageAt as string | undefined)}
            </span>
          </div>
          <p className="text-muted-foreground truncate text-sm">{c.lastMessagePreview || 'No messages yet'}</p>
          <p className="text-muted-foreground mt-0.5 flex gap-2 text-xs">
            <span>{CHANNEL_LABELS[c.channel] ?? c.channel}</span>
            <span>{cap(c.status)}</span>
            {c.priority !== 'normal' && (
              <span className={c.priority === 'urgent' || c.priority === 'high' ? 'text-destructive' : ''}>
                {cap(c.priority)}
              </span>
            )}
            {!c.assigneeId && <span>Unassigned</span>}
          </p>
        </li>
      ))}
    </ul>
  );
}
