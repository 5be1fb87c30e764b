import { mongo, Types } from 'mongoose';
import { tenantModels } from '../../tenancy/connections';

/**
 * Claim many conversations for the agents the pick chose, in one round trip, learning which claims
 * won. A claim is the conditional update "still unassigned and not resolved" (as for a single
 * claim). A bulk write only reports how many documents changed, not which, so each update is an
 * upsert: when its condition no longer holds the upsert tries to insert a document with the same
 * _id and fails with a duplicate-key error at that index. That error is the per-conversation answer
 * "someone else got there first". An upsert that succeeds means the conversation no longer exists;
 * the stub it created is removed at once.
 */
export type ClaimOutcome = 'claimed' | 'lost';
const DUPLICATE_KEY = 11000;

export async function claimConversations(slug: string, claims: Array<{ conversationId: Types.ObjectId; agentId: string }>): Promise<ClaimOutcome[]> {
  if (!claims.length) return [];
  const { Conversation } = tenantModels(slug);
  const now = new Date();
  const ops = claims.map((c) => ({
    updateOne: {
      filter: { _id: c.conversationId, assigneeId: null, status: { $ne: 'resolved' } },
      update: { $set: { assigneeId: new Types.ObjectId(c.agentId), updatedAt: now }, $unset: { queuedAt: '' } },
      upsert: true,
    },
  }));
  const outcomes: ClaimOutcome[] = claims.map(() => 'claimed');
  let upserted: Record<number, unknown> = {};
  try {
    // The native collection: the filter is already typed, and Mongoose's per-op casting is not free.
    const res = await Conversation.collection.bulkWrite(ops, { ordered: false });
    upserted = res.upsertedIds;
  } catch (err) {
    if (!(err instanceof mongo.MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    for (const e of errors) {
      if (e.code !== DUPLICATE_KEY) throw err;
      outcomes[e.index] = 'lost';
    }
    upserted = err.result.upsertedIds;
  }
  const stubs = Object.entries(upserted).map(([index, id]) => {
    outcomes[Number(index)] = 'lost';
    return id;
  });
  if (stubs.length) await Conversation.collection.deleteMany({ _id: { $in: stubs as Types.ObjectId[] } });
  return outcomes;
}
