'use client';

import { useState } from 'react';
import { bodyProblems, fillBody, variableCount } from '@/server/services/workspace/templates-body';
import { Button, Field, SelectField } from '../_ui/kit';

export const CATEGORIES = ['utility', 'marketing', 'authentication'] as const;
export const STATUSES = ['pending', 'approved', 'rejected'] as const;
export interface TemplateDraft {
  name: string;
  language: string;
  category: (typeof CATEGORIES)[number];
  inboxId: string | null;
  body: string;
  variables: Array<{ label: string; example: string }>;
  status: (typeof STATUSES)[number];
}
export const BLANK: TemplateDraft = { name: '', language: 'en', category: 'utility', inboxId: null, body: '', variables: [], status: 'pending' };

/** One row per `{{n}}` in the body, keeping what was typed for the ones that stay. */
function resize(vars: TemplateDraft['variables'], n: number) {
  return Array.from({ length: Math.min(n, 20) }, (_, i) => vars[i] ?? { label: '', example: '' });
}

/**
 * Create or edit a template. The variable rows follow the body as it is typed, the body's problems
 * are listed in words before saving, and the preview shows the message with the example values.
 */
export function TemplateForm(props: {
  initial: TemplateDraft;
  inboxes: Array<{ id: string; name: string }>;
  busy: boolean;
  fieldErrors: Array<{ path: string; message: string }>;
  onSave: (t: TemplateDraft) => void;
  onCancel: () => void;
}) {
  const [t, setT] = useState(props.initial);
  const p = `tpl-${props.initial.name || 'new'}`;
  const count = variableCount(t.body);
  const problems = t.body.trim() ? bodyProblems(t.body) : [];
  const setBody = (body: string) => setT({ ...t, body, variables: resize(t.variables, variableCount(body)) });
  const setVar = (i: number, patch: Partial<TemplateDraft['variables'][number]>) =>
    setT({ ...t, variables: t.variables.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  const errorsFor = (path: string) => props.fieldErrors.filter((e) => e.path === path || e.path.startsWith(`${path}.`));
  return (
    <form
      className="space-y-4"
      aria-label={props.initial.name ? `Edit template ${props.initial.name}` : 'New template'}
      onSubmit={(e) => {
        e.preventDefault();
        const { name, language, category, inboxId, body, status } = t;
        props.onSave({ name, language, category, inboxId, body, status, variables: resize(t.variables, count) });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${p}-name`} label="Name (lowercase, digits, underscores)" required maxLength={100} pattern="[a-z0-9_]+" value={t.name} onChange={(e) => setT({ ...t, name: e.target.value })} />
        <Field id={`${p}-language`} label="Language code (en, en_US, pt_BR…)" required maxLength={6} value={t.language} onChange={(e) => setT({ ...t, language: e.target.value })} />
        <SelectField id={`${p}-category`} label="Category" value={t.category} onChange={(e) => setT({ ...t, category: e.target.value as TemplateDraft['category'] })}>
          {CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
        </SelectField>
        <SelectField id={`${p}-inbox`} label="Available in" value={t.inboxId ?? ''} onChange={(e) => setT({ ...t, inboxId: e.target.value || null })}>
          <option value="">Every WhatsApp inbox</option>
          {props.inboxes.map((i) => <option key={i.id} value={i.id}>{i.name} only</option>)}
        </SelectField>
      </div>
      <div className="space-y-1.5">
        <label htmlFor={`${p}-body`} className="block text-sm font-medium">Body (variables are {'{{1}}'}, {'{{2}}'}…)</label>
        <textarea
          id={`${p}-body`}
          required
          rows={4}
          maxLength={1024}
          value={t.body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`${p}-body-help`}
          className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm"
        />
        <p id={`${p}-body-help`} className="text-muted-foreground text-xs">{t.body.length}/1024 characters · {count} variable{count === 1 ? '' : 's'}</p>
        {[...problems, ...errorsFor('body').map((e) => e.message)].map((m) => (
          <p key={m} role="alert" className="text-destructive text-sm">{m}</p>
        ))}
      </div>
      {count > 0 && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Variables: Meta needs an example for each</legend>
          {t.variables.map((v, i) => (
            <div key={i} className="grid gap-2 sm:grid-cols-[4rem_1fr_1fr] sm:items-end">
              <span className="text-muted-foreground pb-2 font-mono text-sm">{`{{${i + 1}}}`}</span>
              <Field id={`${p}-v${i}-label`} label={`What {{${i + 1}}} is (for agents)`} maxLength={40} placeholder="e.g. customer name" value={v.label} onChange={(e) => setVar(i, { label: e.target.value })} />
              <Field id={`${p}-v${i}-example`} label={`Example for {{${i + 1}}}`} required maxLength={200} value={v.example} onChange={(e) => setVar(i, { example: e.target.value })} />
            </div>
          ))}
        </fieldset>
      )}
      {errorsFor('variables').map((e) => <p key={e.message} role="alert" className="text-destructive text-sm">{e.message}</p>)}
      <div>
        <p className="text-sm font-medium">Preview</p>
        <p className="bg-muted mt-1 rounded-lg p-3 text-sm whitespace-pre-wrap" data-testid="template-preview" aria-live="polite">
          {t.body.trim() ? fillBody(t.body, t.variables.map((v) => v.example)) : 'The message appears here as you type.'}
        </p>
      </div>
      <SelectField id={`${p}-status`} label="Approval status at Meta (recorded by hand)" value={t.status} onChange={(e) => setT({ ...t, status: e.target.value as TemplateDraft['status'] })}>
        {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
      </SelectField>
      {props.fieldErrors.filter((e) => !e.path.startsWith('body') && !e.path.startsWith('variables')).map((e) => (
        <p key={e.path + e.message} role="alert" className="text-destructive text-sm">{e.message}</p>
      ))}
      <div className="flex gap-2">
        <Button type="submit" busy={props.busy}>Save template</Button>
        <Button type="button" variant="secondary" onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
