'use client';

import { useState, type FormEvent } from 'react';
import { Field, FormError, SubmitButton } from '@/app/(tenant)/_auth/fields';
import { CodeField } from '../../_ui/code-field';
import { authPost } from '../../_ui/post';
import { RecoveryCodes } from '../../_ui/recovery-codes';
import { Button, Card } from '../../_ui/ui';
import { EnrolStep } from '../../sign-in/enrol-step';

/** MFA changes: confirm password and a code first, then new recovery codes or a new authenticator. */
type View = 'locked' | 'menu' | 'codes' | 'replace';

export function MfaSettings() {
  const [view, setView] = useState<View>('locked');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: string, body: Record<string, string>, ok: (data: Record<string, unknown>) => void) {
    setBusy(true);
    setError(null);
    const res = await authPost(action, body);
    setBusy(false);
    if (res.ok) ok(res.data);
    else setError(res.error);
  }

  const onReauth = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run('reauth', { password: String(f.get('password') ?? ''), code: String(f.get('code') ?? '') }, () => setView('menu'));
  };

  return (
    <div className="space-y-5">
      <Card title="Two-factor authentication" description="Changes need your password and a current code, even while signed in.">
        {view === 'locked' && (
          <form onSubmit={onReauth} className="max-w-sm space-y-4">
            <FormError message={error} />
            <Field
              id="reauth-password"
              name="password"
              type="password"
              label="Password"
              autoComplete="current-password"
              required
            />
            <CodeField id="reauth-code" label="Code from your authenticator app" />
            <SubmitButton busy={busy}>Confirm it’s you</SubmitButton>
          </form>
        )}
        {view === 'menu' && (
          <div className="space-y-3">
            <FormError message={error} />
            <div className="flex flex-wrap gap-3">
              <Button
                busy={busy}
                onClick={() => run('recovery-codes', {}, (d) => (setCodes(d.recoveryCodes as string[]), setView('codes')))}
              >
                Create new recovery codes
              </Button>
              <Button variant="secondary" onClick={() => setView('replace')}>
                Replace authenticator
              </Button>
            </div>
            <p className="text-muted-foreground text-xs">
              New codes replace all old ones. A new authenticator signs out your other sessions.
            </p>
          </div>
        )}
        {view === 'codes' && codes && <RecoveryCodes codes={codes} onContinue={() => (setCodes(null), setView('menu'))} />}
        {view === 'replace' && <EnrolStep onDone={() => window.location.assign('/account')} />}
      </Card>
      <Card title="Sessions">
        <Button
          variant="danger"
          onClick={() =>
            window.confirm('Sign out of every browser, this one included?') &&
            run('sign-out-everywhere', {}, () => window.location.assign('/sign-in'))
          }
        >
          Sign out everywhere
        </Button>
      </Card>
    </div>
  );
}
