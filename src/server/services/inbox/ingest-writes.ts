import { Types, type AnyObject } from 'mongoose';
import { tenantModels } from '../../tenancy/connections';
import { batcher } from './batch';

/**
 * The ingest job's database steps, each batched across the jobs running at the same time in this
 * process (see batch.ts). The order inside one message is unchanged: look up, store the message
 * (unique providerMessageId), apply counters and event log, then mark it applied; a job killed
 * between two steps is finished by its retry exactly as before.
 */
const isDuplicateKey = (err: unknown) => (err as { code?: number } | undefined)?.code === 11000;

/** The stored copy of a provider message, if any (has it been applied already?). */
type StoredMessage = { _id: Types.ObjectId; applied?: boolean | null; conversationId: Types.ObjectId };
export const findStoredMessage = batcher<string, StoredMessage | null>(
  async (slug, ids) => {
    const found = await tenantModels(slug)
      .ConversationMessage.find({ providerMessageId: { $in: ids } })
      .select({ applied: 1, conversationId: 1, providerMessageId: 1 })
      .lean();
    const byId = new Map<string | null | undefined, StoredMessage>(found.map((m) => [m.providerMessageId, m as StoredMessage]));
    return ids.map((id) => byId.get(id) ?? null);
  },
);

/** The live conversation of `customerId|inboxId`, if there is one. */
export const findLiveConversation = batcher<string, { _id: Types.ObjectId; status: string; customerId: Types.ObjectId } | null>(
  async (slug, keys) => {
    const found = await tenantModels(slug)
      .Conversation.find({ activeKey: { $in: keys } })
      .select({ status: 1, customerId: 1, activeKey: 1 })
      .lean();
    const byKey = new Map(found.map((c) => [c.activeKey, c]));
    return keys.map((k) => byKey.get(k) ?? null);
  },
);

/**
 * A document as Mongoose would have built it (cast to the schema, defaults, timestamps), without
 * hydrating a Mongoose document per insert: hydration was the worker's largest cost after socket
 * writes. Validation is skipped on purpose: these documents are built here from the zod-validated
 * ingest payload, with fixed values for the enum and required paths.
 */
interface Preparing {
  schema: { get(key: 'versionKey' | 'timestamps'): unknown };
  castObject(obj: AnyObject): unknown;
  applyDefaults(obj: AnyObject): AnyObject;
  applyTimestamps(obj: AnyObject): AnyObject;
}
function plainInsert(model: Preparing, doc: AnyObject): AnyObject {
  const defaulted = model.applyDefaults(model.castObject(doc) as AnyObject);
  // applyTimestamps does not look at the schema's `timestamps: false` (the event log has none).
  const out = model.schema.get('timestamps') ? model.applyTimestamps(defaulted) : defaulted;
  const versionKey = model.schema.get('versionKey');
  if (typeof versionKey === 'string' && out[versionKey] === undefined) out[versionKey] = 0;
  return minimize(out);
}

/** Mongoose's `minimize`: empty nested objects (an unset `error: {}`) are not stored. */
function minimize(obj: AnyObject): AnyObject {
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) continue; // ObjectId, Date, Buffer...
    if (Object.keys(minimize(value as AnyObject)).length === 0) delete obj[key];
  }
  return obj;
}

export type NewMessage = Record<string, unknown> & { _id: Types.ObjectId; providerMessageId: string };

/** Inserts the messages of the batch in one unordered insertMany: 'duplicate' where another copy won. */
export const insertMessage = batcher<NewMessage, 'inserted' | 'duplicate'>(async (slug, docs) => {
  const { ConversationMessage } = tenantModels(slug);
  let inserted: Array<{ _id: unknown }>;
  const failed = new Map<number, unknown>();
  try {
    inserted = await ConversationMessage.insertMany(
      docs.map((d) => plainInsert(ConversationMessage, d)),
      { ordered: false, lean: true },
    );
  } catch (err) {
    const e = err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }>; insertedDocs?: Array<{ _id: unknown }> };
    if (!e.writeErrors) throw err;
    for (const w of e.writeErrors) failed.set(w.index, { code: w.code ?? w.err?.code });
    inserted = e.insertedDocs ?? [];
  }
  const ok = new Set(inserted.map((d) => String(d._id)));
  return docs.map((d, i) => {
    if (ok.has(String(d._id))) return 'inserted';
    const why = failed.get(i);
    if (isDuplicateKey(why)) return 'duplicate';
    return new Error(`Message ${d.providerMessageId} was not stored (${JSON.stringify(why ?? 'validation')})`);
  });
});

export interface ApplyStep {
  messageId: Types.ObjectId;
  conversationId: Types.ObjectId;
  at: Date;
  preview: string;
  log: Array<Record<string, unknown>>;
}

/**
 * Counters and preview of the conversations, the event log, then the `applied` flags: three round
 * trips for the whole batch. Unread count and last-message time commute, so the batch needs no
 * order between messages of one conversation.
 */
export const applyMessage = batcher<ApplyStep, true>(async (slug, steps) => {
  const { Conversation, EventLog, ConversationMessage } = tenantModels(slug);
  await Conversation.bulkWrite(
    perConversation(steps).flatMap(({ conversationId, count, latest }) => [
      { updateOne: { filter: { _id: conversationId }, update: { $inc: { unreadCount: count }, $max: { lastCustomerMessageAt: latest.at } } } },
      {
        updateOne: {
          filter: {
            _id: conversationId,
            $or: [{ lastMessageAt: { $exists: false } }, { lastMessageAt: null }, { lastMessageAt: { $lte: latest.at } }],
          },
          update: { $set: { lastMessageAt: latest.at, lastMessagePreview: latest.preview } },
        },
      },
    ]),
    { ordered: false },
  );
  await EventLog.insertMany(
    steps.flatMap((s) => s.log.map((entry) => plainInsert(EventLog, entry))),
    { lean: true },
  );
  await ConversationMessage.updateMany({ _id: { $in: steps.map((s) => s.messageId) } }, { $set: { applied: true } });
  return steps.map(() => true as const);
});

/**
 * A customer often sends several messages in a row: one pair of updates per conversation, not per
 * message. `latest` is the newest message (the later one of the batch on equal times, as when the
 * updates ran one by one in batch order).
 */
function perConversation(steps: ApplyStep[]) {
  const byId = new Map<string, { conversationId: Types.ObjectId; count: number; latest: ApplyStep }>();
  for (const s of steps) {
    const key = String(s.conversationId);
    const seen = byId.get(key);
    if (!seen) byId.set(key, { conversationId: s.conversationId, count: 1, latest: s });
    else {
      seen.count += 1;
      if (s.at.getTime() >= seen.latest.at.getTime()) seen.latest = s;
    }
  }
  return [...byId.values()];
}

export const newObjectId = () => new Types.ObjectId();
