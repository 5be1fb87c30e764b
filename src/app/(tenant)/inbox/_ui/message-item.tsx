import { cap } from './labels';

export interface Msg {
  id: string;
  direction: 'in' | 'out';
  senderType: string;
  type?: string | null;
  content?: string | null;
  attachments?: Array<Record<string, unknown>>;
  payload?: Record<string, unknown> | null;
  status?: string | null;
  error?: { code?: string | null; message?: string | null } | null;
  createdAt?: string;
}

/** Ticks like the messaging apps agents know: ✓ sent, ✓✓ delivered, blue ✓✓ read, clock while queued. */
function Ticks({ status }: { status: string }) {
  const label = status === 'queued' ? 'Sending' : cap(status);
  const glyph = status === 'queued' ? '…' : status === 'sent' ? '✓' : status === 'delivered' || status === 'read' ? '✓✓' : '';
  return (
    <span data-status={status} title={label} className={`ml-2 text-xs ${status === 'read' ? 'text-accent' : 'opacity-80'}`}>
      <span aria-hidden>{glyph} </span>
      {label}
    </span>
  );
}

function Attachments({ items }: { items: Array<Record<string, unknown>> }) {
  return (
    <ul className="mt-1 space-y-1">
      {items.map((a, i) => {
        const url = typeof a.url === 'string' ? a.url : undefined;
        const mime = String(a.mimeType ?? a.type ?? '');
        // WhatsApp media arrive as ids (no file name for photos): say what it is in words.
        const name = [cap(String(a.kind ?? 'attachment')), a.filename].filter(Boolean).join(': ');
        return (
          <li key={i}>
            {url && mime.startsWith('image') ? (
              // eslint-disable-next-line @next/next/no-img-element -- provider media URLs are arbitrary
              <img src={url} alt={name} className="max-h-48 rounded" />
            ) : url ? (
              <a href={url} className="underline" target="_blank" rel="noreferrer">
                Attachment: {name}
              </a>
            ) : (
              <span>Attachment: {name}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function Location({ p }: { p: Record<string, unknown> }) {
  const loc = (p.location ?? p) as { latitude?: number; longitude?: number; name?: string; address?: string };
  if (typeof loc.latitude !== 'number' || typeof loc.longitude !== 'number') return null;
  const href = `https://www.openstreetmap.org/?mlat=${loc.latitude}&mlon=${loc.longitude}#map=16/${loc.latitude}/${loc.longitude}`;
  return (
    <a href={href} target="_blank" rel="noreferrer" className="underline">
      Map: {loc.name || loc.address || `${loc.latitude.toFixed(5)}, ${loc.longitude.toFixed(5)}`}
    </a>
  );
}

export function MessageItem({ m }: { m: Msg }) {
  const note = m.type === 'note';
  const out = m.direction === 'out';
  const failed = m.status === 'failed';
  const bubble = note ? 'bg-warning/15 border border-warning/40' : out ? 'bg-primary text-primary-foreground' : 'bg-muted';
  return (
    <li
      className={`flex ${out ? 'justify-end' : 'justify-start'}`}
      data-message={m.id}
      data-direction={note ? 'note' : m.direction}
    >
      <div
        className={`max-w-[85%] rounded-lg px-3 py-2 text-sm sm:max-w-[70%] ${bubble} ${failed ? 'ring-destructive ring-2' : ''}`}
      >
        {note && <p className="text-xs font-semibold">Internal note · not sent to the customer</p>}
        {m.content && m.type !== 'location' && <p className="break-words whitespace-pre-wrap">{m.content}</p>}
        {m.type === 'location' && m.payload && <Location p={m.payload} />}
        {m.attachments && m.attachments.length > 0 && <Attachments items={m.attachments} />}
        <p className="mt-1 flex items-center justify-end text-[11px] opacity-75">
          {m.type === 'template' && <span className="mr-2">Template</span>}
          {m.createdAt && (
            <time dateTime={m.createdAt}>
              {new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </time>
          )}
          {out && !note && m.status && <Ticks status={m.status} />}
        </p>
        {failed && (
          <p role="alert" className="bg-background text-destructive mt-1 rounded px-2 py-1 text-xs" data-testid="delivery-error">
            Not delivered: {m.error?.message || 'the provider refused the message'}
            {m.error?.code ? ` (code ${m.error.code})` : ''}
          </p>
        )}
      </div>
    </li>
  );
}
