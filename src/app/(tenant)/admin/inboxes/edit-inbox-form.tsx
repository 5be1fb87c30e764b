'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, ErrorText } from '../_ui/kit';
import { kindOf, type FieldSpec } from './channel-kinds';
import { errorMessage, fieldErrors, InboxField } from './inbox-field';
import type { InboxItem } from './inbox-card';

/** Non-secret settings only: name, the provider's ids, Twilio number and signed URL, web-chat origins. */
export function EditInboxForm({ inbox, onDone }: { inbox: InboxItem; onDone: (saved: boolean) => void }) {
  const trpc = useTRPC();
  const kind = kindOf(inbox.channel);
  const editable: FieldSpec[] = (kind?.fields ?? []).filter((f) => !f.secret && f.key !== 'accountSid');
  const [values, setValues] = useState<Record<string, string>>({
    name: inbox.name,
    phoneNumberId: inbox.ids.phoneNumberId ?? '',
    pageId: inbox.ids.pageId ?? '',
    igUserId: inbox.ids.igUserId ?? '',
    fromNumber: inbox.ids.fromNumber ?? '',
    webhookUrl: inbox.twilioWebhookUrl ?? '',
    allowedOrigins: (inbox.webchat?.allowedOrigins ?? []).join('\n'),
    greeting: inbox.webchat?.greeting ?? '',
  });
  const update = useMutation(trpc.inboxes.update.mutationOptions({ onSuccess: () => onDone(true) }));
  const errors = fieldErrors(update.error);
  const set = (key: string) => (v: string) => setValues((old) => ({ ...old, [key]: v }));
  const v = (key: string) => values[key]?.trim() ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const base = { id: inbox.id, name: v('name') };
    if (inbox.provider === 'meta') {
      const ids = Object.fromEntries(editable.map((f) => [f.key, v(f.key) || undefined]));
      update.mutate({ ...base, meta: ids });
    } else if (inbox.provider === 'twilio') {
      update.mutate({ ...base, twilio: { fromNumber: v('fromNumber'), webhookUrl: v('webhookUrl') || null } });
    } else {
      update.mutate({ ...base, webchat: { allowedOrigins: v('allowedOrigins').split(/\s+/).filter(Boolean), greeting: v('greeting') || null } });
    }
  };
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={`Edit ${inbox.name}`}>
      <div className="grid gap-4 md:grid-cols-2">
        <InboxField id={`edit-${inbox.id}-name`} spec={{ key: 'name', label: 'Name', required: true }} value={values.name ?? ''} onChange={set('name')} error={errors.name} />
        {editable.map((f) => (
          <InboxField key={f.key} id={`edit-${inbox.id}-${f.key}`} spec={f} value={values[f.key] ?? ''} onChange={set(f.key)} error={errors[f.key]} />
        ))}
      </div>
      <ErrorText error={errorMessage(update.error)} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={update.isPending}>
          Save
        </Button>
        <Button variant="secondary" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
