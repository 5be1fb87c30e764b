'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, ErrorText, Field, SelectField } from '../_ui/kit';

const STATUS = { fired: '✔ fires', skipped: '✘ skipped', disabled: '– disabled', not_reached: '… not reached' } as const;

/** "Try a message": which rule would fire for it, and why each rule did or did not. Changes nothing. */
export function TryMessage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ text: '', channel: 'whatsapp', language: '', attributes: '' });
  const [asked, setAsked] = useState<typeof form | null>(null);
  const attrs = (s: string) => Object.fromEntries(s.split('\n').map((l) => l.split('=').map((x) => x.trim())).filter((kv) => kv.length === 2 && kv[0]) as Array<[string, string]>);
  const preview = useQuery({
    ...trpc.routing.preview.queryOptions({ text: asked?.text ?? '', channel: asked?.channel || undefined, language: asked?.language || undefined, attributes: attrs(asked?.attributes ?? '') }),
    enabled: asked !== null,
  });
  return (
    <Card title="Try a message" description="See which rule would fire, and why.">
      <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); setAsked({ ...form }); }}>
        <div className="space-y-1.5">
          <label htmlFor="try-text" className="block text-sm font-medium">Message</label>
          <textarea id="try-text" required rows={3} maxLength={4000} className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm" value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField id="try-channel" label="Channel" value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
            {['whatsapp', 'messenger', 'instagram', 'webchat', 'sms'].map((c) => <option key={c}>{c}</option>)}
          </SelectField>
          <Field id="try-language" label="Language" placeholder="en" value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })} />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="try-attrs" className="block text-sm font-medium">Customer attributes (one name=value a line)</label>
          <textarea id="try-attrs" rows={2} className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm" placeholder="tier=vip" value={form.attributes} onChange={(e) => setForm({ ...form, attributes: e.target.value })} />
        </div>
        <Button type="submit" busy={preview.isFetching}>Try it</Button>
      </form>
      <ErrorText error={preview.error} />
      {preview.data && (
        <div className="mt-4 space-y-3" aria-live="polite" data-testid="try-result">
          <p className="bg-primary/10 rounded-md px-3 py-2 text-sm font-medium">{preview.data.explanation}</p>
          <ul className="space-y-2 text-sm">
            {preview.data.rules.map((r) => (
              <li key={r.id}>
                <span className="font-medium">{r.name}</span> <span className="text-muted-foreground">{STATUS[r.status]}</span>
                {r.conditions.length > 0 && <ul className="text-muted-foreground ml-4 list-disc">{r.conditions.map((c, i) => <li key={i}>{c.reason}</li>)}</ul>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
