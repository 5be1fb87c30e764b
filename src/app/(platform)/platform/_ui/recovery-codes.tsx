'use client';

import { useState } from 'react';

/** Recovery codes are shown exactly once; the operator confirms having stored them. */
export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <h2 className="font-semibold">Save your recovery codes</h2>
      <p className="text-muted-foreground text-sm">
        Each code signs you in once if you lose your phone. They will not be shown again.
      </p>
      <ul className="bg-muted grid grid-cols-2 gap-2 rounded-md p-3 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <button
        type="button"
        className="text-primary text-sm underline"
        onClick={() => void navigator.clipboard?.writeText(codes.join('\n'))}
      >
        Copy all
      </button>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have stored these codes somewhere
        safe
      </label>
      <button
        type="button"
        disabled={!saved}
        onClick={onContinue}
        className="bg-primary text-primary-foreground w-full rounded-md px-4 py-2.5 font-medium shadow-sm disabled:opacity-50"
      >
        Continue
      </button>
    </div>
  );
}
