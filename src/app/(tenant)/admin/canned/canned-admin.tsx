'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, Empty, ErrorText, Field, Loading } from '../_ui/kit';

type Item = { shortcut: string; text: string };
type Issue = { path: Array<string | number>; message: string };
const SHORTCUT = /^[a-z0-9-]{1,30}$/;

/** What is wrong with an item before it is sent, in words (the server says the same). */
function problems(item: Item, others: Item[]): string[] {
  const out: string[] = [];
  if (!SHORTCUT.test(item.shortcut)) out.push('The shortcut uses lowercase letters, digits and dashes, up to 30');
  if (others.some((o) => o.shortcut === item.shortcut)) out.push(`The shortcut /${item.shortcut} already exists`);
  if (!item.text.trim()) out.push('The text is empty');
  if (item.text.length > 2000) out.push('The text is at most 2000 characters');
  return out;
}

function ItemForm({ initial, others, busy, label, onSave, onCancel }: { initial: Item; others: Item[]; busy: boolean; label: string; onSave: (i: Item) => Promise<unknown>; onCancel?: () => void }) {
  const [item, setItem] = useState(initial);
  const [shown, setShown] = useState<string[]>([]);
  const id = `canned-${initial.shortcut || 'new'}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = { shortcut: item.shortcut.trim().replace(/^\//, ''), text: item.text.trim() };
    const found = problems(clean, others);
    setShown(found);
    if (!found.length) void onSave(clean).then(() => !initial.shortcut && setItem({ shortcut: '', text: '' }), () => undefined);
  };
  return (
    <form onSubmit={submit} className="space-y-3" aria-label={label} noValidate>
      <Field id={`${id}-shortcut`} label="Shortcut (agents type /shortcut)" required maxLength={31} placeholder="e.g. opening-hours" value={item.shortcut} onChange={(e) => setItem({ ...item, shortcut: e.target.value.toLowerCase() })} />
      <div className="space-y-1.5">
        <label htmlFor={`${id}-text`} className="block text-sm font-medium">Text</label>
        <textarea id={`${id}-text`} required rows={3} maxLength={2000} value={item.text} onChange={(e) => setItem({ ...item, text: e.target.value })} className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm" />
      </div>
      {shown.map((m) => <p key={m} role="alert" className="text-destructive text-sm">{m}</p>)}
      <div className="flex gap-2">
        <Button type="submit" busy={busy}>{label}</Button>
        {onCancel && <Button variant="secondary" onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}

/**
 * Canned responses: the whole list is saved at once (it is one settings document), so each add,
 * edit or delete sends the new list and shows when it is stored.
 */
export function CannedAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const canned = useQuery(trpc.workspace.canned.queryOptions({}));
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.workspace.saveCanned.mutationOptions({
      onSuccess: (items) => qc.setQueryData(trpc.workspace.canned.queryKey({}), items),
    }),
  );
  const items = canned.data ?? [];
  const commit = (next: Item[], message: string) => {
    setSaved(null);
    return save.mutateAsync({ items: next }).then(() => {
      setEditing(null);
      setSaved(message);
    });
  };
  const issues = ((save.error?.data as { zodIssues?: Issue[] } | undefined)?.zodIssues ?? []).map((i) => i.message);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <Card title="New canned response">
        <ItemForm initial={{ shortcut: '', text: '' }} others={items} busy={save.isPending} label="Add response" onSave={(i) => commit([...items, i], `/${i.shortcut} added.`)} />
      </Card>
      <Card title="Canned responses" description="Agents insert them in the composer by typing / and the shortcut.">
        <div aria-live="polite">
          {save.isPending && <p role="status" className="text-muted-foreground mb-3 text-sm">Saving…</p>}
          {saved && !save.isPending && <p role="status" className="mb-3 text-sm text-green-700" data-testid="canned-saved">Saved: {saved}</p>}
        </div>
        <ErrorText error={issues.length ? `Not saved: ${issues.join('; ')}` : save.error ? `Not saved: ${save.error.message}` : canned.error} />
        {canned.isPending ? (
          <Loading what="canned responses" />
        ) : items.length === 0 ? (
          <Empty>No canned responses yet. Add the answers your agents give most often.</Empty>
        ) : (
          <ul className="divide-border divide-y" data-testid="canned-list">
            {items.map((c) => (
              <li key={c.shortcut} className="py-3">
                {editing === c.shortcut ? (
                  <ItemForm
                    initial={c}
                    others={items.filter((o) => o.shortcut !== c.shortcut)}
                    busy={save.isPending}
                    label="Save"
                    onSave={(i) => commit(items.map((o) => (o.shortcut === c.shortcut ? i : o)), `/${i.shortcut} saved.`)}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <div className="flex flex-wrap items-start gap-3">
                    <div className="min-w-0 flex-1 basis-56">
                      <p className="font-mono text-sm font-medium">/{c.shortcut}</p>
                      <p className="text-muted-foreground mt-0.5 text-sm whitespace-pre-wrap">{c.text}</p>
                    </div>
                    <div className="flex gap-1">
                      <Button variant="secondary" aria-label={`Edit /${c.shortcut}`} onClick={() => setEditing(c.shortcut)}>Edit</Button>
                      <Button
                        variant="secondary"
                        aria-label={`Delete /${c.shortcut}`}
                        disabled={save.isPending}
                        onClick={() => {
                          if (confirm(`Delete the canned response /${c.shortcut}?`)) void commit(items.filter((o) => o.shortcut !== c.shortcut), `/${c.shortcut} deleted.`).catch(() => undefined);
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
    </div>
  );
}
