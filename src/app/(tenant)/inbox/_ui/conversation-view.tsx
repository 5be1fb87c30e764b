'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Composer } from './composer';
import { ConversationControls } from './conversation-controls';
import { CustomerPanel } from './customer-panel';
import { CHANNEL_LABELS } from './labels';
import { MessageItem, type Msg } from './message-item';
import type { Me } from './workspace';
import { useTRPC } from '@/trpc/client';

/** One conversation: header with controls, the messages (live), the composer, the customer beside it. */
export function ConversationView({ id, me, onBack }: { id: string; me: Me; onBack: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const conv = useQuery(trpc.conversations.get.queryOptions({ id }));
  const data = useQuery(trpc.workspace.messages.queryOptions({ conversationId: id }));
  const customer = useQuery(trpc.workspace.customer.queryOptions({ conversationId: id }));
  const read = useMutation(
    trpc.workspace.markRead.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.workspace.views.pathKey() }),
    }),
  );
  const [panelOpen, setPanelOpen] = useState(false);
  const panelToggle = useRef<HTMLButtonElement>(null);
  const bottom = useRef<HTMLLIElement>(null);
  const count = data.data?.messages.length ?? 0;
  const { mutate: markRead } = read;
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
    if (count) markRead({ conversationId: id });
  }, [count, id, markRead]);

  if (conv.error)
    return (
      <p role="alert" className="text-destructive m-auto p-6">
        {conv.error.data?.code === 'NOT_FOUND'
          ? 'This conversation is not in your inbox any more.'
          : `Could not open the conversation: ${conv.error.message}`}
      </p>
    );
  const name = customer.data?.customer?.name || customer.data?.customer?.phone || 'Customer';
  return (
    <div className="flex min-w-0 flex-1">
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="border-border flex flex-wrap items-center gap-2 border-b px-3 py-2">
          <button
            type="button"
            onClick={onBack}
            className="hover:bg-muted rounded px-2 py-1 text-sm md:hidden"
            aria-label="Back to the list"
          >
            ← Back
          </button>
          <h1 className="truncate font-semibold" data-testid="conversation-title">
            {name}
          </h1>
          {conv.data && (
            <span className="text-muted-foreground text-sm">{CHANNEL_LABELS[conv.data.channel] ?? conv.data.channel}</span>
          )}
          <button
            type="button"
            onClick={() => setPanelOpen((o) => !o)}
            aria-expanded={panelOpen}
            aria-controls="customer-panel"
            ref={panelToggle}
            className="border-border hover:bg-muted rounded-md border px-2 py-1 text-sm xl:hidden"
          >
            Customer
          </button>
          {conv.data && <ConversationControls conv={conv.data} me={me} />}
        </div>
        <ol
          className="min-h-0 flex-1 space-y-2 overflow-y-auto p-3"
          aria-label="Messages"
          aria-live="polite"
          data-testid="messages"
        >
          {data.isPending && <li className="text-muted-foreground text-sm">Loading messages…</li>}
          {data.error && (
            <li role="alert" className="text-destructive text-sm">
              Could not load messages: {data.error.message}
            </li>
          )}
          {data.data?.messages.length === 0 && <li className="text-muted-foreground text-sm">No messages yet.</li>}
          {data.data?.messages.map((m) => (
            <MessageItem key={m.id} m={m as unknown as Msg} />
          ))}
          <li ref={bottom} aria-hidden />
        </ol>
        {data.data && conv.data && <Composer conversationId={id} channel={conv.data.channel} window={data.data.window} />}
      </div>
      <CustomerPanel
        data={customer.data}
        loading={customer.isPending}
        error={customer.error?.message}
        open={panelOpen}
        onClose={() => {
          setPanelOpen(false);
          panelToggle.current?.focus();
        }}
      />
    </div>
  );
}
