import type { Types } from 'mongoose';
import { tenantModels } from './connections';

/**
 * Decision 10: a channel type with `autoCreate` gets one channel, created at provisioning, and every
 * user of the organisation is a member of it. The identity service calls `joinAutoChannels` for
 * each new user; both functions are idempotent.
 */
export async function createAutoChannels(
  slug: string,
  channelTypes: ReadonlyArray<{ key: string; label: string; autoCreate?: boolean | null }>,
  createdBy?: Types.ObjectId,
): Promise<void> {
  const { Channel } = tenantModels(slug);
  for (const type of channelTypes.filter((t) => t.autoCreate)) {
    await Channel.updateOne(
      { type: { $eq: type.key }, origin_type: 'system' },
      {
        $setOnInsert: {
          name: type.key,
          type: type.key,
          visibility: 'public',
          protected: true,
          origin_type: 'system',
          createdBy,
          topic: type.label,
          memberIds: [],
        },
      },
      { upsert: true },
    );
  }
}

export async function joinAutoChannels(slug: string, userId: Types.ObjectId): Promise<number> {
  const { Channel, ChannelMembership } = tenantModels(slug);
  const channels = await Channel.find({ origin_type: 'system', visibility: 'public' }).select({ _id: 1 }).lean();
  for (const ch of channels) {
    await ChannelMembership.updateOne(
      { channelId: ch._id, userId },
      { $setOnInsert: { channelId: ch._id, userId, origin_type: 'system', joinedAt: new Date() } },
      { upsert: true },
    );
    await Channel.updateOne({ _id: ch._id }, { $addToSet: { memberIds: userId } });
  }
  return channels.length;
}
