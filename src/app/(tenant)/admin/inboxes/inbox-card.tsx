'use client';

import type { inferRouterOutputs } from '@trpc/server';
import { useState } from 'react';
import type { AppRouter } from '@/server/trpc/root';
import { Badge, Button } from '../_ui/kit';
import { kindOf, SECRET_LABEL, SECRETS_OF } from './channel-kinds';
import { CopyField, useOrigin } from './copy-field';
import { EditInboxForm } from './edit-inbox-form';
import { RotateSecretForm } from './rotate-secret-form';

export type InboxItem = inferRouterOutputs<AppRouter>['inboxes']['list'][number];

/** What to paste where, per provider: the callback URL, Meta's verify-token step, or the embed snippet. */
function Setup({ inbox }: { inbox: InboxItem }) {
  const origin = useOrigin();
  const kind = kindOf(inbox.channel);
  const url = `${origin}${inbox.webhookPath}`;
  if (!origin) return null;
  if (inbox.provider === 'webchat') {
    const snippet = `<script src="${origin}/widget.js" data-inbox="${inbox.publicId}" data-title="Chat with us" async></script>`;
    const origins = inbox.webchat?.allowedOrigins ?? [];
    return (
      <div className="space-y-2">
        <CopyField id={`snippet-${inbox.id}`} label="Embed snippet: paste before </body> on your site" value={snippet} multiline testId="embed-snippet" />
        <p className="text-muted-foreground text-xs">
          {origins.length ? `Works on: ${origins.join(', ')}.` : 'Works on any website (no allowed origins set).'} Change the title with data-title and the colour with data-color=&quot;#2563eb&quot;.
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <CopyField id={`url-${inbox.id}`} label={inbox.provider === 'meta' ? 'Callback URL (Meta app → Webhooks)' : 'Webhook URL (Twilio number → “A message comes in”, HTTP POST)'} value={url} testId="webhook-url" />
      {inbox.provider === 'meta' ? (
        <p className="text-muted-foreground text-xs" data-testid="verify-hint">
          Meta checks this URL with a GET request: enter the <strong>verify token</strong> you chose for this inbox in Meta’s “Verify token” field
          {inbox.secretsSet.verifyToken ? ' (it is stored encrypted and cannot be shown; replace it if you no longer have it)' : ' (none is set yet: replace it below)'}. Then subscribe to: {kind?.subscribe}.
        </p>
      ) : (
        <p className="text-muted-foreground text-xs">
          {inbox.twilioWebhookUrl
            ? `Signatures are checked against ${inbox.twilioWebhookUrl}, and replies report their delivery there.`
            : 'Twilio signs the exact URL it calls. To see delivery ticks on replies, set this URL as the inbox’s “Signed URL” (Edit).'}
        </p>
      )}
    </div>
  );
}

export function InboxCard({
  inbox,
  busy,
  onToggle,
  onDelete,
  onSaved,
}: {
  inbox: InboxItem;
  busy: boolean;
  onToggle: () => void;
  onDelete: () => void;
  onSaved: (message: string) => void;
}) {
  const [open, setOpen] = useState<'edit' | 'rotate' | null>(null);
  const kind = kindOf(inbox.channel);
  const ids = Object.entries(inbox.ids).filter(([, v]) => v);
  const secrets = SECRETS_OF[inbox.provider];
  return (
    <li className="border-border bg-background rounded-xl border p-4 shadow-sm" data-testid="inbox-item" aria-label={inbox.name}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <h3 className="font-semibold break-words">
            {inbox.name} <Badge>{inbox.enabled ? 'active' : 'disabled'}</Badge>
          </h3>
          <p className="text-muted-foreground text-sm">
            {kind?.label ?? inbox.channel} · {inbox.provider === 'meta' ? 'Meta' : inbox.provider === 'twilio' ? 'Twilio' : 'Our widget'}
            {ids.length > 0 && ` · ${ids.map(([k, v]) => `${k} ${v}`).join(' · ')}`}
          </p>
          <p className="text-muted-foreground text-xs">
            Inbox id for routing rules: <code className="select-all">{inbox.id}</code>
          </p>
          {secrets.length > 0 && (
            <p className="mt-1 flex flex-wrap gap-1.5 text-xs" aria-label="Secrets">
              {secrets.map((s) => (
                <span key={s} className="inline-flex items-center gap-1">
                  {SECRET_LABEL[s]} <Badge>{inbox.secretsSet[s] ? 'set' : 'not set'}</Badge>
                </span>
              ))}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" aria-expanded={open === 'edit'} onClick={() => setOpen(open === 'edit' ? null : 'edit')}>
            Edit
          </Button>
          {secrets.length > 0 && (
            <Button variant="secondary" aria-expanded={open === 'rotate'} onClick={() => setOpen(open === 'rotate' ? null : 'rotate')}>
              Replace a secret
            </Button>
          )}
          <Button variant="secondary" busy={busy} onClick={onToggle}>
            {inbox.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="danger" busy={busy} onClick={onDelete}>
            Delete
          </Button>
        </div>
      </div>
      {!inbox.enabled && (
        <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Disabled: new messages to it are refused and replies through it fail. Its conversations and history stay readable.
        </p>
      )}
      <div className="mt-3">
        <Setup inbox={inbox} />
      </div>
      {open && (
        <div className="border-border mt-4 border-t pt-4">
          {open === 'edit' ? (
            <EditInboxForm inbox={inbox} onDone={(saved) => { setOpen(null); if (saved) onSaved(`Saved “${inbox.name}”.`); }} />
          ) : (
            <RotateSecretForm inbox={inbox} onDone={(saved) => { setOpen(null); if (saved) onSaved(`Secret of “${inbox.name}” replaced; the new value is in force now.`); }} />
          )}
        </div>
      )}
    </li>
  );
}
