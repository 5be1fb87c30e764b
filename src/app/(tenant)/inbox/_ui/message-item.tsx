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

const KB = 1024;
function formatSize(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
  if (bytes < KB) return `${bytes} B`;
  if (bytes < KB * KB) return `${Math.round(bytes / KB)} KB`;
  return `${(bytes / (KB * KB)).toFixed(1)} MB`;
}

// What the attachment route serves inline (src/server/services/inbox/media-names.ts); the rest downloads.
const PREVIEW_IMAGE = /^image\/(jpeg|png|gif|webp)$/;

/**
 * One attachment as the agent sees it: a preview (image, audio or video player) or a file link with
 * its size once it is in our storage, "Downloading…" while the worker fetches it from the provider,
 * and the provider's error in words when that failed.
 */
function Attachment({
  a,
  messageId,
  index,
  stale,
}: {
  a: Record<string, unknown>;
  messageId: string;
  index: number;
  stale: boolean;
}) {
  const kind = String(a.kind ?? 'attachment');
  const type = String(a.contentType ?? a.mimeType ?? '');
  const filename = typeof a.filename === 'string' ? a.filename : undefined;
  const label = filename ?? cap(kind);
  const src = `/api/attachments/${messageId}/${index}`;
  const error = a.error as { message?: string } | undefined;
  if (a.status === 'failed') {
    return (
      <p role="alert" className="bg-background text-destructive rounded px-2 py-1 text-xs" data-attachment="failed">
        Could not download the {kind}: {error?.message || 'the provider did not send it'}
      </p>
    );
  }
  if (a.status !== 'stored' && stale) {
    // Messages from before downloads existed, or a job lost for good: say so instead of spinning forever.
    return (
      <p className="text-xs opacity-80" data-attachment="missing">
        {cap(kind)} not stored{filename ? `: ${filename}` : ''}
      </p>
    );
  }
  if (a.status !== 'stored') {
    return (
      <p className="flex items-center gap-2 text-xs opacity-80" data-attachment="pending" aria-live="polite">
        <span
          aria-hidden
          className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
        Downloading {kind}…
      </p>
    );
  }
  const size = formatSize(a.size);
  const link = (
    <a href={src} download={filename} className="underline break-all" data-attachment="file">
      {label}
      {size && <span className="opacity-75"> · {size}</span>}
    </a>
  );
  if (PREVIEW_IMAGE.test(type)) {
    return (
      <figure data-attachment="image">
        <a href={src} target="_blank" rel="noreferrer" aria-label={`Open ${label} in a new tab`}>
          {/* eslint-disable-next-line @next/next/no-img-element -- an authenticated, per-user stream: no image optimiser */}
          <img src={src} alt={String(a.caption ?? label)} loading="lazy" className="max-h-64 max-w-full rounded" />
        </a>
        <figcaption className="mt-1 text-[11px] opacity-75">
          {label}
          {size && ` · ${size}`}
        </figcaption>
      </figure>
    );
  }
  if (type.startsWith('audio/')) {
    return (
      <div data-attachment="audio" className="space-y-1">
        <audio controls preload="metadata" src={src} className="w-full max-w-xs" aria-label={label} />
        <p className="text-[11px] opacity-75">{link}</p>
      </div>
    );
  }
  if (type.startsWith('video/')) {
    return (
      <div data-attachment="video" className="space-y-1">
        <video controls preload="metadata" src={src} className="max-h-64 max-w-full rounded" aria-label={label} />
        <p className="text-[11px] opacity-75">{link}</p>
      </div>
    );
  }
  return (
    <p className="flex items-center gap-1 text-sm">
      <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7l9-9a3.5 3.5 0 0 1 5 5l-9 9a2 2 0 0 1-3-3l8-8" />
      </svg>
      {link}
    </p>
  );
}

// Downloads give up within about 75 minutes (6 attempts, Retry-After capped at 15 min); pending after this means never.
const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

function Attachments({
  items,
  messageId,
  createdAt,
}: {
  items: Array<Record<string, unknown>>;
  messageId: string;
  createdAt?: string;
}) {
  const stale = createdAt !== undefined && Date.now() - new Date(createdAt).getTime() > STALE_AFTER_MS;
  return (
    <ul className="mt-1 space-y-2">
      {items.map((a, i) => (
        <li key={i}>
          <Attachment a={a} messageId={messageId} index={i} stale={stale} />
        </li>
      ))}
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
        {m.attachments && m.attachments.length > 0 && (
          <Attachments items={m.attachments} messageId={m.id} createdAt={m.createdAt} />
        )}
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
