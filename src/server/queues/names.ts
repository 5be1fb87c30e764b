/**
 * The one table of queue names. A name is part of the data in Redis (waiting and delayed jobs live
 * under it), so a name is NEVER renamed or reused: add a row, and retire a row only once its queue
 * has drained everywhere (tests/unit/queues-table.test.ts holds the deployed names). Later features
 * add their queues here (webhook ingest, outbound sends, assignment and SLA timers, exports...).
 * Each queue lists its default worker concurrency.
 */
export const QUEUES = {
  /** Platform housekeeping and diagnostics: probes, realtime notifications, cache drops. */
  system: { name: 'system', concurrency: 4 },
  /** Normalised provider events (webhooks, web chat) -> customers, conversations, messages, statuses. */
  inboxIngest: { name: 'inbox-ingest', concurrency: 32 },
  /** Agent replies to provider APIs (retried with backoff, honouring rate limits). */
  inboxOutbound: { name: 'inbox-outbound', concurrency: 4 },
  /** Assignment timers (no answer), presence changes, SLA checks and the periodic sweep. */
  assignment: { name: 'assignment', concurrency: 4 },
  /** Inbound media attachments: provider download -> object storage (src/server/services/inbox/media.ts). */
  inboxMedia: { name: 'inbox-media', concurrency: 4 },
} as const;

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey]['name'];

export const QUEUE_KEYS = Object.keys(QUEUES) as QueueKey[];
