'use client';

import { Field } from '@/app/(tenant)/_auth/fields';

/** A six-digit authenticator code: numeric keypad on phones, one-time-code autofill. */
export function CodeField({ id = 'code', label, autoFocus }: { id?: string; label: string; autoFocus?: boolean }) {
  return (
    <Field
      id={id}
      name="code"
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="\d{6}"
      placeholder="123456"
      required
      maxLength={6}
      autoFocus={autoFocus}
    />
  );
}
