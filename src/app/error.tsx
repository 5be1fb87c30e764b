'use client';

/** Last-resort error page: never shows internals, always offers a retry. */
export default function AppError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm" data-testid="app-error">
        <h1 className="text-xl font-semibold text-slate-900">Something went wrong</h1>
        <p className="mt-2 text-slate-600">Please try again. If it keeps happening, your administrator can check the system status.</p>
        <button type="button" onClick={reset} className="mt-6 rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
          Try again
        </button>
      </div>
    </main>
  );
}
