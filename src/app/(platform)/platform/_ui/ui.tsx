import type { ButtonHTMLAttributes, ReactNode } from 'react';

/** Small building blocks of the operator panel (platform colours: the theme defaults). */
export function Card({
  title,
  description,
  children,
  actions,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="border-border bg-background rounded-xl border shadow-sm">
      <header className="border-border flex flex-wrap items-start justify-between gap-3 border-b px-4 py-3 sm:px-5">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {description && <p className="text-muted-foreground mt-0.5 text-sm">{description}</p>}
        </div>
        {actions}
      </header>
      <div className="px-4 py-4 sm:px-5">{children}</div>
    </section>
  );
}

type Variant = 'primary' | 'secondary' | 'danger';
const VARIANTS: Record<Variant, string> = {
  primary: 'bg-primary text-primary-foreground',
  secondary: 'border-border bg-background text-foreground border',
  danger: 'bg-destructive text-white',
};

export function Button({
  variant = 'primary',
  busy,
  children,
  className = '',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      disabled={busy || rest.disabled}
      className={`focus-visible:ring-primary inline-flex items-center justify-center rounded-md px-3.5 py-2 text-sm font-medium shadow-sm focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60 ${VARIANTS[variant]} ${className}`}
      {...rest}
    >
      {busy ? 'Please wait…' : children}
    </button>
  );
}

const STATUS: Record<string, string> = {
  active: 'bg-green-100 text-green-800',
  suspended: 'bg-red-100 text-red-800',
  provisioning: 'bg-amber-100 text-amber-800',
  verified: 'bg-green-100 text-green-800',
  pending: 'bg-amber-100 text-amber-800',
  set: 'bg-green-100 text-green-800',
  'not set': 'bg-slate-100 text-slate-700',
};

export function Badge({ children }: { children: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${STATUS[children] ?? 'bg-slate-100 text-slate-700'}`}
    >
      {children}
    </span>
  );
}

export function ErrorText({ error }: { error: { message: string } | string | null | undefined }) {
  if (!error) return null;
  return (
    <p
      role="alert"
      className="border-destructive text-destructive rounded-md border bg-red-50 px-3 py-2 text-sm"
      data-testid="panel-error"
    >
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">
      {children}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="text-muted-foreground animate-pulse py-6 text-center text-sm" role="status">
      Loading {what}…
    </p>
  );
}

export const inputClass =
  'border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm';

/** A label over its field, with an optional hint under it. */
export function Labelled({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
    </div>
  );
}
