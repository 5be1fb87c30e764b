'use client';

import { useState } from 'react';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await fetch('/api/session/sign-out', { method: 'POST' }).catch(() => undefined);
        window.location.assign('/sign-in');
      }}
      className="border-border bg-secondary text-secondary-foreground rounded-md border px-4 py-2 font-medium disabled:opacity-60"
    >
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
