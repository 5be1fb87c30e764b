'use client';

import Link from 'next/link';

/**
 * Provisioning is one server call; while it runs the steps it performs are listed, and when it
 * returns each is ticked, with the invitation's fate in words (sent, or why not).
 */
interface Result {
  slug: string;
  url: string;
  firstAdmin: { email: string };
  invitation: { sent: true } | { sent: false; error: string };
}

const STEPS = ['Organisation record', 'Database and indexes', 'Default roles', 'Auto-created channels', 'First admin (invited)'];

export function ProvisionProgress({ name, result }: { name: string; result?: Result }) {
  return (
    <div
      className="border-border bg-background max-w-xl space-y-4 rounded-xl border p-6 shadow-sm"
      data-testid="provision-progress"
      aria-live="polite"
    >
      <h2 className="text-lg font-semibold">{result ? `${name} is ready` : `Provisioning ${name}…`}</h2>
      <ul className="space-y-2 text-sm">
        {STEPS.map((s) => (
          <li key={s} className="flex items-center gap-2">
            <span aria-hidden className={result ? 'text-green-600' : 'text-muted-foreground animate-pulse'}>
              {result ? '✓' : '•'}
            </span>
            {s}
          </li>
        ))}
        {result && (
          <li className="flex items-start gap-2" data-testid="invitation-status">
            <span aria-hidden className={result.invitation.sent ? 'text-green-600' : 'text-amber-600'}>
              {result.invitation.sent ? '✓' : '!'}
            </span>
            {result.invitation.sent
              ? `Invitation emailed to ${result.firstAdmin.email}`
              : `The invitation to ${result.firstAdmin.email} could not be sent (${result.invitation.error}). The admin is recorded as invited; resend it from the organisation page.`}
          </li>
        )}
      </ul>
      {result && (
        <div className="flex flex-wrap gap-3 pt-2">
          <a
            href={result.url}
            className="bg-primary text-primary-foreground rounded-md px-3.5 py-2 text-sm font-medium"
            data-testid="open-org"
            target="_blank"
            rel="noreferrer"
          >
            Open {result.url.replace(/^https?:\/\//, '')}
          </a>
          <Link href={`/orgs/${result.slug}`} className="border-border rounded-md border px-3.5 py-2 text-sm font-medium">
            Manage organisation
          </Link>
        </div>
      )}
    </div>
  );
}
