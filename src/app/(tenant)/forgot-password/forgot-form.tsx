'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { Field, FormError, postJson, SubmitButton } from '../_auth/fields';

export function ForgotForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await postJson('/api/session/forgot', { email: new FormData(e.currentTarget).get('email') });
    setBusy(false);
    if (res.ok) setSent(true);
    else setError(res.error);
  }

  if (sent) {
    return (
      <div className="space-y-4 text-sm" role="status" data-testid="reset-sent">
        <p>If an account uses this address, a link to choose a new password is on its way. It works once, for one hour.</p>
        <Link href="/sign-in" className="text-primary font-medium underline-offset-4 hover:underline">
          Back to sign in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <FormError message={error} />
      <Field id="email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <SubmitButton busy={busy}>Send reset link</SubmitButton>
      <p className="text-center text-sm">
        <Link href="/sign-in" className="text-primary font-medium underline-offset-4 hover:underline">
          Back to sign in
        </Link>
      </p>
    </form>
  );
}
