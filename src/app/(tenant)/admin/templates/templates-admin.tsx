'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAbility } from '@/lib/ability';
import { useTRPC } from '@/trpc/client';
import { Button, Card, Empty, ErrorText, Loading } from '../_ui/kit';
import { BLANK, TemplateForm, type TemplateDraft } from './template-form';

type Issue = { path: Array<string | number>; message: string };

/** Zod's field messages from a tRPC error, with paths relative to the template. */
function fieldErrors(error: unknown) {
  const issues = (error as { data?: { zodIssues?: Issue[] } } | null)?.data?.zodIssues ?? [];
  return issues.map((i) => ({ path: i.path.filter((k) => k !== 'template').join('.'), message: i.message }));
}

const STATUS_STYLE: Record<string, string> = {
  approved: 'bg-green-100 text-green-800',
  pending: 'bg-amber-100 text-amber-800',
  rejected: 'bg-red-100 text-red-800',
};
function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? ''}`} data-testid="template-status">{status}</span>;
}

/** The organisation's templates with their approval status; create, edit and delete in place. */
export function TemplatesAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const ability = useAbility();
  const templates = useQuery(trpc.templates.list.queryOptions());
  const inboxes = useQuery({ ...trpc.inboxes.list.queryOptions(), enabled: ability.can('read', 'Inbox') });
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const done = (message: string) => async () => {
    await qc.invalidateQueries({ queryKey: trpc.templates.list.queryKey() });
    setEditing(null);
    setSaved(message);
  };
  const create = useMutation(trpc.templates.create.mutationOptions({ onSuccess: done('Template created.') }));
  const update = useMutation(trpc.templates.update.mutationOptions({ onSuccess: done('Template saved.') }));
  const remove = useMutation(trpc.templates.remove.mutationOptions({ onSuccess: done('Template deleted.') }));
  const whatsappInboxes = (inboxes.data ?? []).filter((i) => i.channel === 'whatsapp').map((i) => ({ id: i.id, name: i.name }));
  const mutation = editing === 'new' ? create : update;
  const open = (id: string) => {
    create.reset();
    update.reset();
    setSaved(null);
    setEditing(id);
  };
  const form = (initial: TemplateDraft, id?: string) => (
    <TemplateForm
      initial={initial}
      inboxes={whatsappInboxes}
      busy={mutation.isPending}
      fieldErrors={fieldErrors(mutation.error)}
      onSave={(t) => (id ? update.mutate({ id, template: t }) : create.mutate(t))}
      onCancel={() => setEditing(null)}
    />
  );
  const list = templates.data ?? [];
  return (
    <Card
      title="Templates"
      description="Sent on WhatsApp once the 24-hour reply window has closed. Only approved templates reach agents."
      actions={editing !== 'new' ? <Button onClick={() => open('new')}>New template</Button> : undefined}
    >
      <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Templates are reviewed by Meta. This console does not sync with Meta yet: submit the template in Meta’s WhatsApp
        Manager, then record its status here by hand.
      </p>
      {saved && <p role="status" className="mb-3 text-sm text-green-700">{saved}</p>}
      <ErrorText error={mutation.error && fieldErrors(mutation.error).length === 0 ? mutation.error : (remove.error ?? templates.error)} />
      {editing === 'new' && <div className="border-border mb-4 rounded-lg border p-4">{form(BLANK)}</div>}
      {templates.isPending ? (
        <Loading what="templates" />
      ) : list.length === 0 && editing !== 'new' ? (
        <Empty>No templates yet. Create one to be able to reach customers after 24 hours of silence.</Empty>
      ) : (
        <ul className="divide-border divide-y" data-testid="template-list">
          {list.map((t) => (
            <li key={t.id} className="py-3" data-template={t.name}>
              {editing === t.id ? (
                form({ name: t.name, language: t.language, category: t.category, inboxId: t.inboxId ?? null, body: t.body, variables: t.variables, status: t.status }, t.id)
              ) : (
                <div className="flex flex-wrap items-start gap-3">
                  <div className="min-w-0 flex-1 basis-64">
                    <p className="font-medium">
                      {t.name} <span className="text-muted-foreground text-sm font-normal">{t.language} · {t.category} · {t.inboxName ?? 'every WhatsApp inbox'}</span>{' '}
                      <StatusBadge status={t.status} />
                    </p>
                    <p className="text-muted-foreground mt-1 text-sm whitespace-pre-wrap">{t.body}</p>
                  </div>
                  <div className="flex gap-1">
                    <Button variant="secondary" onClick={() => open(t.id)} aria-label={`Edit ${t.name}`}>Edit</Button>
                    <Button
                      variant="secondary"
                      aria-label={`Delete ${t.name}`}
                      disabled={remove.isPending}
                      onClick={() => {
                        if (confirm(`Delete the template “${t.name}” (${t.language})? Agents can no longer send it.`)) remove.mutate({ id: t.id });
                      }}
                    >
                      Delete
                    </Button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
