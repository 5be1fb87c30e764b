'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Notice } from '@/app/(platform)/platform/_ui/ui';
import { useTRPC } from '@/trpc/client';
import { Button, Card, Empty, ErrorText, Loading } from '../_ui/kit';
import { CopyField } from './copy-field';
import { CreateInboxForm } from './create-inbox-form';
import { InboxCard } from './inbox-card';

/** The organisation's inboxes: where each one's messages come from and how to connect it. */
export function InboxesAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.inboxes.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [newToken, setNewToken] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.inboxes.list.queryKey() });
  const update = useMutation(trpc.inboxes.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.inboxes.delete.mutationOptions({ onSuccess: refresh }));
  const saved = (message: string) => {
    setNotice(message);
    void refresh();
  };
  const inboxes = list.data ?? [];
  return (
    <div className="space-y-6">
      <Card
        title={creating ? 'New inbox' : 'Add a channel'}
        description={creating ? undefined : 'WhatsApp, Messenger, Instagram, Twilio SMS or WhatsApp, or the web-chat widget.'}
        actions={creating ? undefined : <Button onClick={() => { setCreating(true); setNotice(null); setNewToken(null); }}>New inbox</Button>}
      >
        {creating ? (
          <CreateInboxForm
            onCancel={() => setCreating(false)}
            onCreated={(_id, verifyToken) => {
              setCreating(false);
              setNewToken(verifyToken ?? null);
              saved('Inbox created. Connect it with the URL shown on its card below.');
            }}
          />
        ) : (
          <p className="text-muted-foreground text-sm">Each inbox has its own webhook URL and credentials. Secrets are stored encrypted and never shown again.</p>
        )}
      </Card>
      {notice && <Notice>{notice}</Notice>}
      {newToken && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="new-verify-token">
          <p className="mb-2 text-amber-900">Copy the verify token now to paste into Meta: it will not be shown again.</p>
          <CopyField id="new-verify-token" label="Verify token" value={newToken} />
          <Button variant="secondary" className="mt-2" onClick={() => setNewToken(null)}>
            I have copied it
          </Button>
        </div>
      )}
      <ErrorText error={update.error ?? remove.error} />
      {list.isPending ? (
        <Loading what="inboxes" />
      ) : list.error ? (
        <div className="space-y-2">
          <ErrorText error={`Could not load the inboxes: ${list.error.message}`} />
          <Button variant="secondary" onClick={() => void list.refetch()}>Try again</Button>
        </div>
      ) : inboxes.length === 0 ? (
        <Empty>No inboxes yet. Add one above to start receiving customer messages.</Empty>
      ) : (
        <ul className="space-y-4" data-testid="inbox-list">
          {inboxes.map((inbox) => (
            <InboxCard
              key={inbox.id}
              inbox={inbox}
              busy={(update.isPending && update.variables?.id === inbox.id) || (remove.isPending && remove.variables?.id === inbox.id)}
              onSaved={saved}
              onToggle={() => {
                if (inbox.enabled && !confirm(`Disable “${inbox.name}”? New messages to it will be refused until you enable it again. Its conversations stay.`)) return;
                update.mutate({ id: inbox.id, enabled: !inbox.enabled }, { onSuccess: () => setNotice(`“${inbox.name}” ${inbox.enabled ? 'disabled' : 'enabled'}.`) });
              }}
              onDelete={() => {
                if (!confirm(`Delete “${inbox.name}”? Its webhook URL stops working for good. Inboxes with conversations cannot be deleted: disable them instead.`)) return;
                remove.mutate({ id: inbox.id }, { onSuccess: () => setNotice(`“${inbox.name}” deleted.`) });
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
