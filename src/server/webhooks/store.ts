import { queue } from '../queues/connection';
import { eventDedupId, INGEST_JOB, ingestPayloadSchema, type InboxEvent } from '../services/inbox/events';
import { ingestJobOptions } from '../services/inbox/ingest-options';
import { toOutbox } from '../services/inbox/outbox';

/**
 * Durable hand-off of verified events: the webhook is acknowledged only after this resolves. First
 * choice is the ingest queue (one addBulk round trip); when Redis does not answer in time the events
 * go to the MongoDB outbox instead, and if that fails too the caller answers 503 (the provider
 * retries). A late Redis answer after the timeout can leave an event in both places: the ingest
 * handler is idempotent and the unique index on providerMessageId keeps one copy.
 */
let queueTimeoutMs = 1500;

/** Tests shorten it to reach the outbox path quickly. */
export function setQueueTimeout(ms: number): void {
  queueTimeoutMs = ms;
}

export async function storeEvents(slug: string, inboxId: string, events: InboxEvent[]): Promise<'queued' | 'outbox' | 'empty'> {
  if (events.length === 0) return 'empty';
  const items = events.map((event) => ({
    data: ingestPayloadSchema.parse({ slug, inboxId, event }),
    dedupId: eventDedupId(event),
  }));
  let timer: NodeJS.Timeout | undefined;
  try {
    // A single event (the common case) skips addBulk's MULTI: one script call, a third of the time.
    const q = queue('inboxIngest');
    const [only] = items;
    const add =
      items.length === 1 && only
        ? q.add(INGEST_JOB, only.data, ingestJobOptions(only.dedupId))
        : q.addBulk(items.map((it) => ({ name: INGEST_JOB, data: it.data, opts: ingestJobOptions(it.dedupId) })));
    add.catch(() => undefined); // a late rejection after the timeout is expected, not unhandled
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue timeout')), queueTimeoutMs);
    });
    await Promise.race([add, timeout]);
    return 'queued';
  } catch {
    await toOutbox(slug, items, 'redis_unavailable');
    return 'outbox';
  } finally {
    clearTimeout(timer);
  }
}
