import { brandStyle } from '@/app/_components/brand-style';

/**
 * A miniature tenant page painted with the given branding, through the same CSS variables the
 * tenant layout renders, so what the operator sees here is what the organisation's users get.
 */
export function BrandPreview({ appName, logo, colors }: { appName: string; logo?: string; colors: Record<string, string> }) {
  return (
    <div
      style={brandStyle(colors)}
      className="border-border bg-background text-foreground overflow-hidden rounded-lg border"
      data-testid="brand-preview"
      aria-label="Branding preview"
    >
      <div className="bg-primary text-primary-foreground flex items-center gap-2 px-3 py-2">
        {logo ? (
          // eslint-disable-next-line @next/next/no-img-element -- preview of an arbitrary logo URL
          <img src={logo} alt="" className="h-6 w-auto max-w-28 object-contain" />
        ) : (
          <span className="bg-primary-foreground text-primary flex h-6 w-6 items-center justify-center rounded text-xs font-bold">
            {(appName || '?').slice(0, 1).toUpperCase()}
          </span>
        )}
        <span className="text-sm font-semibold">{appName || 'App name'}</span>
      </div>
      <div className="space-y-2 p-3">
        <p className="text-sm font-semibold">Welcome to {appName || 'your workspace'}</p>
        <p className="text-muted-foreground text-xs">Conversations, routed to the right person.</p>
        <div className="flex flex-wrap gap-2">
          <span className="bg-primary text-primary-foreground rounded px-2 py-1 text-xs">Sign in</span>
          <span className="bg-secondary text-secondary-foreground border-border rounded border px-2 py-1 text-xs">Secondary</span>
          <span className="bg-accent text-accent-foreground rounded px-2 py-1 text-xs">Accent</span>
        </div>
        <div className="bg-muted text-muted-foreground rounded px-2 py-1 text-xs">Muted panel</div>
      </div>
    </div>
  );
}
