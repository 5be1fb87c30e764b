import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { platformSession } from '../_ui/session';
import { SignInFlow } from './sign-in-flow';

export const metadata: Metadata = { title: 'Sign in' };

export default async function PlatformSignIn() {
  if (await platformSession()) redirect('/');
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <span
            aria-hidden
            className="bg-foreground text-background mx-auto flex h-12 w-12 items-center justify-center rounded-lg text-lg font-bold"
          >
            P
          </span>
          <p className="text-muted-foreground mt-3 text-sm font-medium">Customer Ops platform</p>
          <h1 className="text-2xl font-semibold tracking-tight">Operator sign-in</h1>
        </div>
        <div className="border-border bg-background rounded-xl border p-6 shadow-sm">
          <SignInFlow />
        </div>
        <p className="text-muted-foreground mt-4 text-center text-xs">
          Two-factor authentication is required for every operator.
        </p>
      </div>
    </main>
  );
}
