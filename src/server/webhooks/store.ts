import type { JobsOptions } from 'bullmq';
import { queue } from '../queues/connection';
import { batcher } from '../services/inbox/batch';
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

type Add = { data: unknown; opts: JobsOptions };

/**
 * The events of all webhooks handled in one turn of the event loop go to Redis together: one
 * script call for a lone event, one MULTI (addBulk) for several. Each request still waits for its
 * own events to be stored before it is acknowledged.
 */
const addToQueue = batcher<Add, true>(async (_key, adds) => {
  const q = queue('inboxIngest');
  const [only] = adds;
  if (adds.length === 1 && only) await q.add(INGEST_JOB, only.data, only.opts);
  else await q.addBulk(adds.map((a) => ({ name: INGEST_JOB, data: a.data, opts: a.opts })));
  return adds.map(() => true as const);
});

export async function storeEvents(slug: string, inboxId: string, events: InboxEvent[]): Promise<'queued' | 'outbox' | 'empty'> {
  if (events.length === 0) return 'empty';
  const items = events.map((event) => ({
    data: ingestPayloadSchema.parse({ slug, inboxId, event }),
    dedupId: eventDedupId(event),
  }));
  let timer: NodeJS.Timeout | undefined;
  try {
    const add = Promise.all(items.map((it) => addToQueue('ingest', { data: it.data, opts: ingestJobOptions(it.dedupId) })));
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
