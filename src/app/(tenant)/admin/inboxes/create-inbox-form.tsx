'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, ErrorText } from '../_ui/kit';
import { CHANNEL_KINDS, kindOf, randomToken, type Channel, type ChannelKind } from './channel-kinds';
import { errorMessage, fieldErrors, InboxField } from './inbox-field';

type Values = Record<string, string>;

const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/** The create input for the chosen kind: only its provider's settings, nothing else. */
function toInput(kind: ChannelKind, v: Values) {
  const base = { name: v.name?.trim() ?? '', channel: kind.channel };
  if (kind.provider === 'meta') {
    const ids = { phoneNumberId: optional(v.phoneNumberId), pageId: optional(v.pageId), igUserId: optional(v.igUserId) };
    return { ...base, provider: 'meta' as const, meta: { appSecret: v.appSecret ?? '', accessToken: v.accessToken ?? '', verifyToken: v.verifyToken ?? '', ...ids } };
  }
  if (kind.provider === 'twilio') {
    return {
      ...base,
      provider: 'twilio' as const,
      twilio: { accountSid: v.accountSid?.trim() ?? '', authToken: v.authToken ?? '', fromNumber: v.fromNumber?.trim() ?? '', webhookUrl: optional(v.webhookUrl) },
    };
  }
  const origins = (v.allowedOrigins ?? '').split(/\s+/).filter(Boolean);
  return { ...base, provider: 'webchat' as const, webchat: { allowedOrigins: origins.length ? origins : undefined, greeting: optional(v.greeting) } };
}

/** Pick a kind, fill in only what that provider needs, create. */
export function CreateInboxForm({ onCreated, onCancel }: { onCreated: (id: string, verifyToken?: string) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const [channel, setChannel] = useState<Channel>('whatsapp');
  const [values, setValues] = useState<Values>({ verifyToken: randomToken() });
  // The verify token the admin typed stays in this page's memory only, to be copied into Meta once.
  const create = useMutation(
    trpc.inboxes.create.mutationOptions({ onSuccess: (inbox) => onCreated(inbox.id, inbox.provider === 'meta' ? values.verifyToken : undefined) }),
  );
  const kind = kindOf(channel)!;
  const errors = fieldErrors(create.error);
  const set = (key: string) => (v: string) => setValues((old) => ({ ...old, [key]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(toInput(kind, values));
  };
  return (
    <form onSubmit={submit} className="space-y-5" aria-label="New inbox" data-testid="create-inbox-form">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Channel</legend>
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {CHANNEL_KINDS.map((k) => (
            <label
              key={k.channel}
              className="border-border has-[:checked]:border-primary has-[:checked]:ring-primary has-[:focus-visible]:ring-primary flex cursor-pointer gap-2 rounded-lg border p-3 text-sm has-[:checked]:ring-1 has-[:focus-visible]:ring-2"
            >
              <input type="radio" name="channel" value={k.channel} checked={channel === k.channel} onChange={() => setChannel(k.channel)} className="mt-0.5" />
              <span>
                <span className="block font-medium">{k.label}</span>
                <span className="text-muted-foreground block text-xs">{k.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 md:grid-cols-2">
        <InboxField id="inbox-name" spec={{ key: 'name', label: 'Name', required: true, placeholder: `${kind.label} support`, hint: 'What agents see next to conversations from it.' }} value={values.name ?? ''} onChange={set('name')} error={errors.name} />
        {kind.fields.map((f) => (
          <InboxField
            key={`${channel}-${f.key}`}
            id={`inbox-${f.key}`}
            spec={f}
            value={values[f.key] ?? ''}
            onChange={set(f.key)}
            error={errors[f.key]}
            reveal={f.key === 'verifyToken'}
            action={
              f.key === 'verifyToken' ? (
                <Button variant="secondary" onClick={() => set('verifyToken')(randomToken())}>
                  Generate
                </Button>
              ) : undefined
            }
          />
        ))}
      </div>
      {kind.provider !== 'webchat' && (
        <p className="text-muted-foreground text-sm">Secrets are stored encrypted and can never be shown again; you can replace them later with “Replace a secret”.</p>
      )}
      <ErrorText error={errorMessage(create.error)} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={create.isPending}>
          Create inbox
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
