import type { ReactNode } from 'react';

/** The frame of every sign-in page: the organisation's mark and name over a card, centred. */
export function AuthCard(props: { appName: string; logo: string | null; title: string; children: ReactNode }) {
  return (
    <main className="bg-muted flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          {props.logo ? (
            // eslint-disable-next-line @next/next/no-img-element -- tenant logos are arbitrary URLs
            <img src={props.logo} alt="" className="h-12 w-auto max-w-48 object-contain" />
          ) : (
            <span
              aria-hidden
              className="bg-primary text-primary-foreground flex h-12 w-12 items-center justify-center rounded-lg text-xl font-bold"
            >
              {props.appName.slice(0, 1).toUpperCase()}
            </span>
          )}
          {/* A logo usually carries the name already: keep it for screen readers only then. */}
          <p className={props.logo ? 'sr-only' : 'text-muted-foreground text-sm font-medium'} data-testid="app-name">
            {props.appName}
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">{props.title}</h1>
        </div>
        <div className="border-border bg-background rounded-xl border p-6 shadow-sm">{props.children}</div>
      </div>
    </main>
  );
}
