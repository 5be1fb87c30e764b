'use client';

import type { ReactNode } from 'react';
import type { FieldSpec } from './channel-kinds';

type Issue = { path: Array<string | number>; message: string };

/** Zod's field messages from a tRPC error, keyed by the field's last path segment. */
export function fieldErrors(error: unknown): Record<string, string> {
  const issues = (error as { data?: { zodIssues?: Issue[] } } | null)?.data?.zodIssues ?? [];
  return Object.fromEntries(issues.map((i) => [String(i.path.at(-1) ?? ''), i.message]));
}

/** The error in words: field problems are shown at the fields, so the banner says only that. */
export function errorMessage(error: { message: string } | null): string | null {
  if (!error) return null;
  return Object.keys(fieldErrors(error)).length ? 'Some fields need attention: see the messages under them.' : error.message;
}

const inputClass =
  'border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 aria-[invalid=true]:border-red-600 sm:text-sm';

/** Label, input, hint and error, tied together for screen readers. */
export function InboxField({
  id,
  spec,
  value,
  onChange,
  error,
  action,
  reveal,
}: {
  id: string;
  spec: FieldSpec;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  /** A button next to the input (e.g. "Generate"). */
  action?: ReactNode;
  /** Show a secret as text (a verify token the admin must copy into Meta). */
  reveal?: boolean;
}) {
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const common = {
    id,
    name: spec.key,
    value,
    required: spec.required,
    placeholder: spec.placeholder,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [spec.hint && hintId, error && errId].filter(Boolean).join(' ') || undefined,
    className: inputClass,
  };
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {spec.label}
        {!spec.required && <span className="text-muted-foreground font-normal"> (optional)</span>}
      </label>
      <div className="flex gap-2">
        {spec.lines ? (
          <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input
            {...common}
            type={spec.secret && !reveal ? 'password' : 'text'}
            autoComplete={spec.secret ? 'new-password' : 'off'}
            spellCheck={false}
            pattern={spec.pattern}
            title={spec.pattern ? spec.hint : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
        {action}
      </div>
      {spec.hint && (
        <p id={hintId} className="text-muted-foreground text-xs">
          {spec.hint}
        </p>
      )}
      {error && (
        <p id={errId} className="text-destructive text-xs" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
