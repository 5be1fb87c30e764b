'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { FormError, SubmitButton } from '@/app/(tenant)/_auth/fields';
import { CodeField } from '../_ui/code-field';
import { authPost } from '../_ui/post';
import { RecoveryCodes } from '../_ui/recovery-codes';

/**
 * Authenticator enrolment: scan the QR code (or type the key), confirm one code, then keep the
 * recovery codes. Used at first sign-in and, after re-authentication, to replace the authenticator.
 */
interface Setup {
  secret: string;
  qrDataUrl: string;
}

export function EnrolStep({ onRestart, onDone }: { onRestart?: () => void; onDone?: () => void }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void authPost<Setup>('enrol-start').then((res) => (res.ok ? setSetup(res.data) : setError(res.error)));
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await authPost<{ recoveryCodes: string[] }>('enrol-confirm', {
      code: String(new FormData(e.currentTarget).get('code') ?? ''),
    });
    setBusy(false);
    if (res.ok) setCodes(res.data.recoveryCodes);
    else setError(res.error);
  }

  if (codes) return <RecoveryCodes codes={codes} onContinue={onDone ?? (() => window.location.assign('/'))} />;
  if (!setup) {
    return error ? (
      <div className="space-y-3">
        <FormError message={error} />
        {onRestart && (
          <button type="button" className="text-primary text-sm underline" onClick={onRestart}>
            Start again
          </button>
        )}
      </div>
    ) : (
      <p className="text-muted-foreground animate-pulse text-sm" role="status">
        Preparing your authenticator setup…
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" data-testid="enrol-step">
      <h2 className="font-semibold">Set up two-factor authentication</h2>
      <p className="text-muted-foreground text-sm">
        Scan this code with an authenticator app (1Password, Google Authenticator, Authy…).
      </p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL rendered on the server */}
      <img
        src={setup.qrDataUrl}
        alt="QR code for your authenticator app"
        width={180}
        height={180}
        className="mx-auto rounded border"
      />
      <details className="text-sm">
        <summary className="cursor-pointer">Can’t scan? Enter the key by hand</summary>
        <code className="bg-muted mt-2 block rounded px-2 py-1 font-mono text-xs break-all" data-testid="totp-secret">
          {setup.secret}
        </code>
      </details>
      <FormError message={error} />
      <CodeField label="Code shown in the app" />
      <SubmitButton busy={busy}>Confirm and continue</SubmitButton>
    </form>
  );
}
