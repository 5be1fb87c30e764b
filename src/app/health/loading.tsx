/** Shown while the checks run (a dead dependency can take up to the 2 s check timeout). */
export default function Loading() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-12" aria-busy="true" data-testid="health-loading">
      <h1 className="text-2xl font-semibold text-slate-900">System status</h1>
      <div className="mt-4 h-12 animate-pulse rounded-lg bg-slate-200" />
      <ul className="mt-6 space-y-2">
        {Array.from({ length: 5 }, (_, i) => (
          <li key={i} className="h-10 animate-pulse rounded bg-slate-100" />
        ))}
      </ul>
    </main>
  );
}
