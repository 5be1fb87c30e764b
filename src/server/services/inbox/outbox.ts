import { platformModels } from '../../db/models/platform';
import { queue } from '../../queues/connection';
import { loadOrg } from '../../tenancy/org-cache';
import { eventDedupId, INGEST_JOB, ingestPayloadSchema } from './events';
import { ingestJobOptions } from './ingest-options';

/**
 * The MongoDB outbox: events stored while Redis was unreachable, and events of suspended
 * organisations parked by the worker. The drainer (running in the worker) moves them back to the
 * ingest queue once Redis answers and the organisation is active again. A crash between the add and
 * the delete re-adds on the next pass: the ingest handler is idempotent.
 */
type Reason = 'redis_unavailable' | 'org_inactive';

export async function toOutbox(slug: string, items: Array<{ data: unknown; dedupId: string }>, reason: Reason): Promise<void> {
  const docs = items.map((it) => ({ orgSlug: slug, jobName: INGEST_JOB, payload: it.data, dedupId: it.dedupId, reason }));
  try {
    await platformModels().WebhookOutbox.insertMany(docs, { ordered: false });
  } catch (err) {
    // "Already there" (same event, same reason) counts as stored; anything else is a real failure.
    const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
    const code = (err as { code?: number }).code;
    const allDuplicates = writeErrors?.length ? writeErrors.every((e) => (e.code ?? e.err?.code) === 11000) : code === 11000;
    if (!allDuplicates) throw err;
  }
}

/** One pass: returns how many events went back to the queue. */
export async function drainOutbox(batch = 500): Promise<number> {
  const { WebhookOutbox } = platformModels();
  // Per organisation first, so a suspended organisation's parked backlog never blocks the others.
  const active: string[] = [];
  for (const slug of (await WebhookOutbox.distinct('orgSlug')) as string[]) {
    const org = await loadOrg(slug);
    if (!org)
      await WebhookOutbox.deleteMany({ orgSlug: { $eq: slug } }); // organisation deleted
    else if (org.status === 'active') active.push(slug);
  }
  if (active.length === 0) return 0;
  const ready = await WebhookOutbox.find({ orgSlug: { $in: active } })
    .sort({ createdAt: 1 })
    .limit(batch)
    .lean();
  if (ready.length === 0) return 0;
  await queue('inboxIngest').addBulk(
    ready.map((doc) => {
      const data = ingestPayloadSchema.parse(doc.payload);
      // Not deduplicated by the event id: the web handler's copy (if any) holds it for a day, and
      // a parked event must run again. Job id per outbox row, so a re-drain adds nothing new.
      const { deduplication: _skip, ...opts } = ingestJobOptions(eventDedupId(data.event));
      return { name: INGEST_JOB, data, opts: { ...opts, jobId: `ob-${String(doc._id)}` } };
    }),
  );
  await WebhookOutbox.deleteMany({ _id: { $in: ready.map((d) => d._id) } });
  return ready.length;
}

/** Worker-side loop; stop() waits for a pass in progress. */
export function startOutboxDrainer(intervalMs = 2000): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    while (!stopped && (await drainOutbox()) > 0);
  };
  const timer = setInterval(() => {
    running = running
      .then(tick)
      .catch((err: unknown) => console.error('[outbox] drain failed:', err instanceof Error ? err.message : err));
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
