'use client';

import { useEffect, useState } from 'react';

/** The page's own origin (the organisation's domain), known only in the browser. */
export function useOrigin(): string {
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  return origin;
}

/**
 * A read-only value to paste elsewhere (webhook URL, embed snippet): selectable with the keyboard,
 * with a Copy button that says whether it worked (the clipboard API needs a secure context).
 */
export function CopyField({ id, label, value, multiline, testId }: { id: string; label: string; value: string; multiline?: boolean; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    const done = (ok: boolean) => {
      setCopied(ok ? 'yes' : 'no');
      setTimeout(() => setCopied(null), 2500);
    };
    if (!navigator.clipboard) return done(false);
    navigator.clipboard.writeText(value).then(() => done(true), () => done(false));
  };
  const cls = 'border-border bg-muted block w-full min-w-0 rounded-md border px-3 py-2 font-mono text-xs';
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium">
        {label}
      </label>
      <div className="flex items-start gap-2">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={3} className={cls} onFocus={(e) => e.currentTarget.select()} data-testid={testId} />
        ) : (
          <input id={id} readOnly value={value} className={cls} onFocus={(e) => e.currentTarget.select()} data-testid={testId} />
        )}
        <button
          type="button"
          onClick={copy}
          className="border-border focus-visible:ring-primary shrink-0 rounded-md border px-2.5 py-1.5 text-xs font-medium focus-visible:ring-2 focus-visible:outline-none"
        >
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="sr-only" role="status">
        {copied === 'yes' ? 'Copied to the clipboard' : copied === 'no' ? 'Could not copy: select the text and copy it yourself' : ''}
      </p>
      {copied === 'no' && <p className="text-xs text-amber-800">Could not copy automatically: select the text and copy it yourself.</p>}
    </div>
  );
}
