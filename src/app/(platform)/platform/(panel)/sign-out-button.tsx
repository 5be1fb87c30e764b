'use client';

import { useState } from 'react';
import { authPost } from '../_ui/post';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      className="rounded border border-current px-2.5 py-1 opacity-90 hover:opacity-100"
      onClick={async () => {
        setBusy(true);
        await authPost('sign-out');
        window.location.assign('/sign-in');
      }}
    >
      Sign out
    </button>
  );
}
