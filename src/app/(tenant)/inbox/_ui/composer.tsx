'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCannedCompletion } from './canned-completion';
import { TemplatePicker } from './template-picker';
import { useTRPC } from '@/trpc/client';

type Window = { open: true; closesAt: string | null } | { open: false; reason: string };

/**
 * Reply, internal note or (WhatsApp) template. The 24-hour window is shown before the agent types;
 * when it is closed replies are approved templates only. Ctrl/Cmd+Enter sends; typing `/` offers the
 * canned responses (see canned-completion.tsx), and the menu inserts them too.
 */
export function Composer({ conversationId, channel, window }: { conversationId: string; channel: string; window: Window }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'reply' | 'note' | 'template'>('reply');
  const [text, setText] = useState('');
  const canned = useQuery(trpc.workspace.canned.queryOptions({}, { staleTime: 60_000 }));
  const onSuccess = () => {
    setText('');
    return qc.invalidateQueries({ queryKey: trpc.workspace.messages.queryKey({ conversationId }) });
  };
  const reply = useMutation(trpc.conversations.reply.mutationOptions({ onSuccess }));
  const note = useMutation(trpc.workspace.addNote.mutationOptions({ onSuccess }));
  const busy = reply.isPending || note.isPending;
  const error = reply.error ?? note.error;
  const closed = mode === 'reply' && !window.open;
  const completion = useCannedCompletion(canned.data ?? [], text, setText, `canned-${conversationId}`);
  const modes = channel === 'whatsapp' ? (['reply', 'note', 'template'] as const) : (['reply', 'note'] as const);
  const MODE_LABEL = { reply: 'Reply', note: 'Internal note', template: 'Template' };

  const send = () => {
    if (!text.trim() || busy || closed) return;
    if (mode === 'note') note.mutate({ conversationId, text });
    else reply.mutate({ conversationId, text });
  };

  return (
    <div className="border-border border-t p-3">
      <p
        className={`mb-2 text-xs ${window.open ? 'text-muted-foreground' : 'text-warning font-medium'}`}
        data-testid="window-state"
      >
        {window.open
          ? window.closesAt
            ? `Reply window open until ${new Date(window.closesAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}.`
            : `No reply window on ${channel === 'webchat' ? 'web chat' : 'this channel'}: free replies any time.`
          : window.reason}
      </p>
      <div className="mb-2 flex flex-wrap items-center gap-1 text-sm">
        <div role="tablist" aria-label="Composer mode" className="flex gap-1">
          {modes.map((m) => (
            <button
              key={m}
              role="tab"
              type="button"
              aria-selected={mode === m}
              onClick={() => setMode(m)}
              className={`rounded-md px-3 py-1 ${mode === m ? (m === 'note' ? 'bg-warning/20' : 'bg-primary text-primary-foreground') : 'hover:bg-muted'}`}
            >
              {MODE_LABEL[m]}
            </button>
          ))}
        </div>
        {!closed && mode !== 'template' && canned.data && canned.data.length > 0 && (
          <select
            aria-label="Insert canned response"
            className="border-border bg-background ml-auto max-w-full rounded-md border px-2 py-1"
            value=""
            onChange={(e) => setText((t) => (t ? `${t} ` : '') + e.target.value)}
          >
            <option value="">Canned responses…</option>
            {canned.data.map((c) => (
              <option key={c.shortcut} value={c.text}>
                /{c.shortcut}
              </option>
            ))}
          </select>
        )}
      </div>
      {closed || mode === 'template' ? (
        <TemplatePicker conversationId={conversationId} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
          className="relative flex items-end gap-2"
        >
          {completion.list}
          <label htmlFor="composer-text" className="sr-only">
            {mode === 'note' ? 'Internal note' : 'Reply'}
          </label>
          <textarea
            id="composer-text"
            rows={2}
            value={text}
            {...completion.inputProps}
            onChange={(e) => {
              setText(e.target.value);
              completion.track(e.target);
            }}
            onKeyDown={(e) => {
              if (completion.onKeyDown(e)) return;
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                send();
              }
            }}
            placeholder={
              mode === 'note'
                ? 'Note for colleagues (never sent to the customer)… Type / for canned responses'
                : 'Write a reply… Type / for canned responses, Ctrl+Enter to send'
            }
            className={`border-border min-h-[2.75rem] flex-1 resize-y rounded-md border px-3 py-2 text-sm ${mode === 'note' ? 'bg-warning/10' : ''}`}
          />
          <button
            type="submit"
            disabled={busy || !text.trim()}
            className="bg-primary text-primary-foreground rounded-md px-4 py-2 text-sm font-medium disabled:opacity-50"
          >
            {busy ? 'Sending…' : mode === 'note' ? 'Add note' : 'Send'}
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="text-destructive mt-2 text-sm">
          Not sent: {error.message}
        </p>
      )}
    </div>
  );
}
