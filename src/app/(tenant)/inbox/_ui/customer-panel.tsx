'use client';

import { useEffect, useRef } from 'react';
import { cap, CHANNEL_LABELS, timeAgo } from './labels';

interface PanelData {
  customer: {
    name?: string | null;
    email?: string | null;
    phone?: string | null;
    identities?: Array<{ channel?: string | null; externalId?: string | null }>;
    tags?: string[];
  } | null;
  otherConversations: Array<{
    id: string;
    channel: string;
    status: string;
    lastMessagePreview?: string | null;
    lastMessageAt?: unknown;
  }>;
  orders: Array<{
    id: string;
    externalId: string;
    status?: string | null;
    total?: number | null;
    currency?: string | null;
    placedAt?: unknown;
  }>;
}

const money = (total?: number | null, currency?: string | null) =>
  typeof total === 'number'
    ? new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD' }).format(total)
    : '';

/**
 * Who the customer is, where else they wrote, what they bought. Beside the conversation from 1280 px;
 * narrower, a drawer over it that the conversation header toggles (Escape or the close button shut
 * it, and focus moves into it when it opens so keyboard users land there).
 */
export function CustomerPanel({
  data,
  loading,
  error,
  open,
  onClose,
}: {
  data?: PanelData;
  loading: boolean;
  error?: string;
  open: boolean;
  onClose: () => void;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (open && !window.matchMedia('(min-width: 1280px)').matches) ref.current?.focus();
  }, [open]);
  return (
    <>
      {open && <div className="fixed inset-0 z-30 bg-black/30 xl:hidden" aria-hidden onClick={onClose} />}
      <aside
        ref={ref}
        id="customer-panel"
        tabIndex={-1}
        aria-label="Customer"
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
        className={`border-border bg-background overflow-y-auto border-l p-4 text-sm outline-none xl:static xl:z-auto xl:block xl:w-72 xl:max-w-none xl:shrink-0 xl:shadow-none ${
          open ? 'fixed inset-y-0 right-0 z-40 block w-80 max-w-[90vw] shadow-xl' : 'hidden'
        }`}
        data-testid="customer-panel"
      >
        <button
          type="button"
          onClick={onClose}
          className="hover:bg-muted float-right -mt-1 rounded px-2 py-1 xl:hidden"
          aria-label="Close the customer panel"
        >
          ✕
        </button>
        {loading && <p className="text-muted-foreground">Loading customer…</p>}
        {error && (
          <p role="alert" className="text-destructive">
            Could not load the customer: {error}
          </p>
        )}
        {data?.customer && (
          <>
            <h2 className="text-base font-semibold">{data.customer.name || 'Unnamed customer'}</h2>
            <dl className="mt-2 space-y-1">
              {data.customer.phone && (
                <>
                  <dt className="text-muted-foreground text-xs">Phone</dt>
                  <dd>{data.customer.phone}</dd>
                </>
              )}
              {data.customer.email && (
                <>
                  <dt className="text-muted-foreground text-xs">Email</dt>
                  <dd>{data.customer.email}</dd>
                </>
              )}
            </dl>
            <h3 className="mt-4 text-xs font-semibold uppercase">Channels</h3>
            <ul className="mt-1 space-y-0.5">
              {(data.customer.identities ?? []).map((i, n) => (
                <li key={n}>
                  {CHANNEL_LABELS[i.channel ?? ''] ?? i.channel}{' '}
                  <span className="text-muted-foreground break-all">{i.externalId}</span>
                </li>
              ))}
            </ul>
            <h3 className="mt-4 text-xs font-semibold uppercase">Other conversations</h3>
            {data.otherConversations.length === 0 ? (
              <p className="text-muted-foreground">None.</p>
            ) : (
              <ul className="mt-1 space-y-1">
                {data.otherConversations.map((c) => (
                  <li key={c.id} className="truncate">
                    {CHANNEL_LABELS[c.channel] ?? c.channel} · {cap(c.status)} · {c.lastMessagePreview}{' '}
                    <span className="text-muted-foreground">{timeAgo(c.lastMessageAt as string)}</span>
                  </li>
                ))}
              </ul>
            )}
            <h3 className="mt-4 text-xs font-semibold uppercase">Orders</h3>
            {data.orders.length === 0 ? (
              <p className="text-muted-foreground">No orders on record.</p>
            ) : (
              <ul className="mt-1 space-y-1">
                {data.orders.map((o) => (
                  <li key={o.id}>
                    #{o.externalId} · {o.status ?? 'unknown'} · {money(o.total, o.currency)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </aside>
    </>
  );
}
