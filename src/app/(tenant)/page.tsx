import Link from 'next/link';
import { redirect } from 'next/navigation';
import { requestOrg } from '../_lib/request-org';
import { requestSession } from '../_lib/request-session';

/**
 * The organisation's front door. Signed-out visitors see its brand and the way in; the sign-in
 * pages (issue 5) and the agent workspace (issue 6) hang off this host; signed-in users go to the inbox.
 */
export default async function TenantHome() {
  const org = await requestOrg();
  if (!org) return null; // the layout already answered 404
  if (await requestSession()) redirect('/inbox'); // signed-in people go straight to work
  const appName = org.branding.appName || org.name;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-border bg-primary text-primary-foreground border-b">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3 sm:px-6">
          {org.branding.logo ? (
            // eslint-disable-next-line @next/next/no-img-element -- tenant logos are arbitrary URLs
            <img src={org.branding.logo} alt="" className="h-8 w-auto max-w-40 rounded object-contain" />
          ) : (
            <span aria-hidden className="bg-primary-foreground text-primary flex h-8 w-8 items-center justify-center rounded font-bold">
              {appName.slice(0, 1).toUpperCase()}
            </span>
          )}
          <span className="text-lg font-semibold" data-testid="app-name">
            {appName}
          </span>
          <Link href="/sign-in" className="bg-primary-foreground text-primary ml-auto rounded-md px-3 py-1.5 text-sm font-medium">
            Sign in
          </Link>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6 sm:py-20">
        <h1 className="text-3xl font-bold tracking-tight sm:text-5xl" data-testid="welcome">
          Welcome to {appName}
        </h1>
        <p className="text-muted-foreground mt-4 max-w-2xl text-base sm:text-lg">
          Customer conversations from WhatsApp, Messenger, Instagram and web chat in one inbox, routed to the right person,
          with your team&apos;s chat alongside.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/sign-in" className="bg-primary text-primary-foreground rounded-md px-5 py-2.5 font-medium shadow-sm">
            Sign in to {appName}
          </Link>
          <Link href="/health" className="border-border bg-secondary text-secondary-foreground rounded-md border px-5 py-2.5 font-medium">
            System status
          </Link>
        </div>
        <ul className="mt-14 grid gap-4 sm:grid-cols-3">
          {[
            ['Unified inbox', 'Every channel, one queue, assigned by skills and load.'],
            ['Team chat', 'Channels, threads and mentions next to the work.'],
            ['Live', 'Everything updates as it happens.'],
          ].map(([title, text]) => (
            <li key={title} className="border-border bg-muted rounded-lg border p-4">
              <h2 className="font-semibold">{title}</h2>
              <p className="text-muted-foreground mt-1 text-sm">{text}</p>
            </li>
          ))}
        </ul>
      </main>
      <footer className="border-border text-muted-foreground border-t px-4 py-4 text-center text-xs">{org.name}</footer>
    </div>
  );
}
