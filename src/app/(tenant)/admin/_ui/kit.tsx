'use client';

import type { ReactNode, SelectHTMLAttributes } from 'react';
import { useAbility, useMe } from '@/lib/ability';
import type { Subject } from '@/server/authz';

/** Admin console pieces not already in the shared UI (cards, buttons, badges come from there). */
import { ErrorText } from '@/app/(platform)/platform/_ui/ui';
export { Badge, Button, Card, ErrorText } from '@/app/(platform)/platform/_ui/ui';
export { Field } from '../../_auth/fields';

export function PageTitle({ title, description }: { title: string; description: string }) {
  return (
    <div className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-muted-foreground mt-1 text-sm">{description}</p>
    </div>
  );
}

export function SelectField({ label, id, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; id: string }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm" {...rest}>
        {children}
      </select>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="text-muted-foreground animate-pulse py-6 text-sm" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="border-border text-muted-foreground rounded-lg border border-dashed px-4 py-8 text-center text-sm">{children}</p>;
}

/** Pages check the ability before asking the server, so a user without the right sees words, not a 403. */
export function RequireAbility({ action, subject, children }: { action: 'read' | 'update'; subject: Subject; children: ReactNode }) {
  const ability = useAbility();
  const me = useMe();
  if (me.isPending) return <Loading what="your permissions" />;
  if (me.error) return <ErrorText error={me.error} />;
  if (!ability.can(action, subject)) {
    return (
      <p className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" role="alert" data-testid="not-allowed">
        Your role does not allow this page. Ask an administrator if you need access.
      </p>
    );
  }
  return <>{children}</>;
}

/** Checkbox list for multi-selects (teams): keyboard- and screen-reader-friendly, no custom widget. */
export function CheckList({ legend, options, value, onChange, name }: { legend: string; name: string; options: Array<{ id: string; label: string }>; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-sm font-medium">{legend}</legend>
      {options.length === 0 && <p className="text-muted-foreground text-sm">None yet.</p>}
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.id} className="inline-flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name={name}
              checked={value.includes(o.id)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((v) => v !== o.id))}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
