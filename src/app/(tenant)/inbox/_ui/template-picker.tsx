'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fillBody } from '@/server/services/workspace/templates-body';
import { useTRPC } from '@/trpc/client';

/**
 * The templates this conversation may receive (approved, its channel, org-wide or its inbox), one
 * labelled field per variable with the admin's example as a hint, and a live preview. The server
 * refuses a send with an empty variable and names it; the fields are required so it rarely gets there.
 */
export function TemplatePicker({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const templates = useQuery(trpc.workspace.templates.queryOptions({ conversationId }));
  const [chosen, setChosen] = useState('');
  const [values, setValues] = useState<string[]>([]);
  const send = useMutation(
    trpc.conversations.reply.mutationOptions({
      onSuccess: () => {
        setValues([]);
        return qc.invalidateQueries({ queryKey: trpc.workspace.messages.queryKey({ conversationId }) });
      },
    }),
  );
  const tpl = templates.data?.find((t) => t.id === chosen);
  const slots = tpl?.variables.length ?? 0;
  const preview = tpl && fillBody(tpl.body, values);

  if (templates.isPending) return <p className="text-muted-foreground text-sm">Loading templates…</p>;
  if (templates.error)
    return (
      <p role="alert" className="text-destructive text-sm">
        Could not load templates: {templates.error.message}
      </p>
    );
  if (!templates.data?.length)
    return <p className="text-muted-foreground text-sm">No approved template for this channel yet; an admin can add one.</p>;
  return (
    <form
      className="space-y-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        if (tpl) send.mutate({ conversationId, template: { templateId: tpl.id, variables: values.slice(0, slots) } });
      }}
    >
      <div>
        <label htmlFor={`template-${conversationId}`} className="text-muted-foreground block text-xs">
          Template
        </label>
        <select
          id={`template-${conversationId}`}
          className="border-border bg-background block w-full rounded-md border px-2 py-1.5"
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            setValues([]);
            send.reset();
          }}
        >
          <option value="">Choose an approved template…</option>
          {templates.data.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.language})
            </option>
          ))}
        </select>
      </div>
      {tpl?.variables.map((v, i) => (
        <label key={i} className="block">
          <span className="text-muted-foreground text-xs">
            {`{{${i + 1}}}`} {v.label || `Variable ${i + 1}`}
          </span>
          <input
            required
            placeholder={v.example ? `e.g. ${v.example}` : undefined}
            className="border-border block w-full rounded-md border px-2 py-1.5"
            value={values[i] ?? ''}
            onChange={(e) => setValues((v) => Object.assign([...v], { [i]: e.target.value }))}
          />
        </label>
      ))}
      {preview && <p className="bg-muted rounded-md p-2 whitespace-pre-wrap">{preview}</p>}
      <button
        type="submit"
        disabled={!tpl || send.isPending}
        className="bg-primary text-primary-foreground rounded-md px-4 py-2 font-medium disabled:opacity-50"
      >
        {send.isPending ? 'Sending…' : 'Send template'}
      </button>
      {send.error && (
        <p role="alert" className="text-destructive">
          Not sent: {send.error.message}
        </p>
      )}
    </form>
  );
}
