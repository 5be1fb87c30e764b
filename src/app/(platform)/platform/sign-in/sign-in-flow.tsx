'use client';

import { useState, type FormEvent } from 'react';
import { Field, FormError, SubmitButton } from '@/app/(tenant)/_auth/fields';
import { CodeField } from '../_ui/code-field';
import { authPost } from '../_ui/post';
import { EnrolStep } from './enrol-step';

/**
 * Password, then the second factor: a code from the authenticator, or a recovery code; operators
 * without an authenticator yet are walked through enrolment (QR code, confirm, recovery codes).
 */
type Stage = 'password' | 'totp' | 'enrol';

export function SignInFlow() {
  const [stage, setStage] = useState<Stage>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(
    e: FormEvent<HTMLFormElement>,
    action: string,
    body: Record<string, string>,
    onOk: (data: Record<string, unknown>) => void,
  ) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await authPost(action, body);
    setBusy(false);
    if (!res.ok) {
      if (res.status === 401 && /expired/i.test(res.error)) setStage('password');
      return setError(res.error);
    }
    onOk(res.data);
  }

  if (stage === 'enrol') return <EnrolStep onRestart={() => setStage('password')} />;

  if (stage === 'totp') {
    const onSubmit = (e: FormEvent<HTMLFormElement>) => {
      const value = String(new FormData(e.currentTarget).get('code') ?? '');
      return submit(e, 'second-factor', useRecovery ? { recoveryCode: value } : { code: value }, () =>
        window.location.assign('/'),
      );
    };
    return (
      <form onSubmit={onSubmit} className="space-y-4" key={useRecovery ? 'recovery' : 'totp'}>
        <FormError message={error} />
        {useRecovery ? (
          <Field
            id="code"
            name="code"
            label="Recovery code"
            autoComplete="off"
            placeholder="abcde-fghjk"
            required
            maxLength={40}
            autoFocus
          />
        ) : (
          <CodeField label="Code from your authenticator app" autoFocus />
        )}
        <SubmitButton busy={busy}>Verify</SubmitButton>
        <button
          type="button"
          className="text-primary w-full text-sm underline-offset-2 hover:underline"
          onClick={() => setUseRecovery(!useRecovery)}
        >
          {useRecovery ? 'Use a code from the app instead' : 'Lost your phone? Use a recovery code'}
        </button>
      </form>
    );
  }

  const onPassword = (e: FormEvent<HTMLFormElement>) => {
    const form = new FormData(e.currentTarget);
    return submit(
      e,
      'password',
      { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      (data) => setStage(data.stage === 'enrol' ? 'enrol' : 'totp'),
    );
  };
  return (
    <form onSubmit={onPassword} className="space-y-4">
      <FormError message={error} />
      <Field id="email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <Field id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <SubmitButton busy={busy}>Continue</SubmitButton>
    </form>
  );
}
