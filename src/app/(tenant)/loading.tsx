/** Shown while a tenant page renders; painted in the organisation's colours (the layout is already there). */
export default function Loading() {
  return (
    <div className="flex min-h-screen items-center justify-center" aria-busy="true" data-testid="tenant-loading">
      <span className="border-muted border-t-primary h-8 w-8 animate-spin rounded-full border-4" />
      <span className="sr-only">Loading</span>
    </div>
  );
}
