'use client';

import { useState, type FormEvent } from 'react';
import { Field, FormError, postJson, SubmitButton } from './fields';

/** Choose a password (invitation or reset): two fields that must match, at least 10 characters. */
export function NewPasswordForm(props: { endpoint: string; token: string; submit: string; done: string; askName?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== form.get('confirm')) return setError('The two passwords do not match.');
    if (password.length < 10) return setError('Use at least 10 characters.');
    setBusy(true);
    setError(null);
    const name = String(form.get('displayName') ?? '').trim();
    const res = await postJson(props.endpoint, { token: props.token, password, ...(name ? { displayName: name } : {}) });
    if (res.ok) return window.location.assign(props.done);
    setError(res.error);
    setBusy(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <FormError message={error} />
      {props.askName && <Field id="displayName" name="displayName" label="Your name" autoComplete="name" maxLength={120} />}
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        minLength={10}
        required
      />
      <Field
        id="confirm"
        name="confirm"
        type="password"
        label="Repeat the password"
        autoComplete="new-password"
        minLength={10}
        required
      />
      <SubmitButton busy={busy}>{props.submit}</SubmitButton>
    </form>
  );
}

export function LinkProblem({ text }: { text: string }) {
  return (
    <div className="space-y-3 text-sm" data-testid="link-invalid">
      <p role="alert">{text}</p>
      <a href="/sign-in" className="text-primary font-medium underline-offset-4 hover:underline">
        Go to sign in
      </a>
    </div>
  );
}
