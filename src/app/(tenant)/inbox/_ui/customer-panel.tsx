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

/** Who the customer is, where else they wrote, what they bought. Hidden on narrow screens. */
export function CustomerPanel({ data, loading, error }: { data?: PanelData; loading: boolean; error?: string }) {
  return (
    <aside
      aria-label="Customer"
      className="border-border hidden w-72 shrink-0 overflow-y-auto border-l p-4 text-sm xl:block"
      data-testid="customer-panel"
    >
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
  );
}
