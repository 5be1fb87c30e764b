'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, ErrorText, SelectField } from '../_ui/kit';
import { randomToken, SECRET_LABEL, SECRETS_OF, type SecretName } from './channel-kinds';
import { errorMessage, fieldErrors, InboxField } from './inbox-field';
import type { InboxItem } from './inbox-card';

const WHEN: Record<SecretName, string> = {
  appSecret: 'Webhooks signed with the old app secret are refused from the moment you save: change it in Meta at the same time.',
  verifyToken: 'Only Meta’s subscription handshake uses it: enter the same value in Meta when you next verify the callback URL.',
  accessToken: 'Replies are sent with the new token from the moment you save.',
  authToken: 'Webhooks signed with the old auth token are refused from the moment you save, and replies use the new one.',
};

/** Write-only: set a new value for one secret. The old value is never shown, only replaced. */
export function RotateSecretForm({ inbox, onDone }: { inbox: InboxItem; onDone: (saved: boolean) => void }) {
  const trpc = useTRPC();
  const names = SECRETS_OF[inbox.provider];
  const [secret, setSecret] = useState<SecretName>(names[0] ?? 'appSecret');
  const [value, setValue] = useState('');
  const rotate = useMutation(trpc.inboxes.rotateSecret.mutationOptions({ onSuccess: () => onDone(true) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rotate.mutate({ id: inbox.id, secret, value } as Parameters<typeof rotate.mutate>[0]);
  };
  const id = `rotate-${inbox.id}`;
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={`Replace a secret of ${inbox.name}`}>
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField id={`${id}-which`} label="Secret" value={secret} onChange={(e) => setSecret(e.target.value as SecretName)}>
          {names.map((n) => (
            <option key={n} value={n}>
              {SECRET_LABEL[n]}
            </option>
          ))}
        </SelectField>
        <InboxField
          id={`${id}-value`}
          spec={{ key: 'value', label: `New ${SECRET_LABEL[secret].toLowerCase()}`, secret: true, required: true, hint: WHEN[secret] }}
          value={value}
          onChange={setValue}
          reveal={secret === 'verifyToken'}
          error={fieldErrors(rotate.error).value}
          action={
            secret === 'verifyToken' ? (
              <Button variant="secondary" onClick={() => setValue(randomToken())}>
                Generate
              </Button>
            ) : undefined
          }
        />
      </div>
      <ErrorText error={errorMessage(rotate.error)} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={rotate.isPending}>
          Replace secret
        </Button>
        <Button variant="secondary" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
