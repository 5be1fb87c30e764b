'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { Field, FormError, postJson, SubmitButton } from '../_auth/fields';

export function PasswordForm({ next }: { next: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await postJson('/api/session/sign-in', { email: form.get('email'), password: form.get('password') });
    if (res.ok) {
      window.location.assign(next);
      return;
    }
    setError(res.error);
    setBusy(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      <FormError message={error} />
      <Field id="email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <Field id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <SubmitButton busy={busy}>Sign in</SubmitButton>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="text-primary font-medium underline-offset-4 hover:underline">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}
