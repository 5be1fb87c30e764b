'use client';

/** The checks themselves failed to run (not a failing dependency, which the page shows itself). */
export default function HealthError({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-12" data-testid="health-error">
      <h1 className="text-2xl font-semibold text-slate-900">System status</h1>
      <div className="mt-4 rounded-lg bg-red-50 px-4 py-3 text-red-800">The status could not be checked.</div>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
        Try again
      </button>
    </main>
  );
}
