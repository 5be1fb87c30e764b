import type { InferSchemaType } from 'mongoose';
import { Schema } from 'mongoose';
import { ObjectId, tenantOpts } from './schema-options';

const ORIGIN_TYPES = ['system', 'tag', 'invite', 'api'] as const;

export const channelSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    type: { type: String, required: true }, // key from org.channelTypes
    visibility: { type: String, enum: ['public', 'private', 'dm'], default: 'public' },
    protected: { type: Boolean, default: false },
    createdBy: ObjectId,
    /** The seed's `members[]`, named as the CASL rules read it; channel_memberships hold per-user state. */
    memberIds: { type: [ObjectId], default: [] },
    /** Sorted pair of user ids for DMs, so a DM between two people exists once. */
    dm_key: String,
    publicId: String,
    topic: String,
    teamId: ObjectId,
    settings: {
      threading: { type: Boolean, default: true },
      slowMode: { type: Number, default: 0 },
      viewOnly: { type: Boolean, default: false },
    },
    origin_type: { type: String, enum: ORIGIN_TYPES, default: 'invite' },
    archivedAt: Date,
    lastMessageAt: Date,
  },
  tenantOpts('channels'),
);
channelSchema.index({ dm_key: 1 }, { unique: true, partialFilterExpression: { dm_key: { $type: 'string' } } });
channelSchema.index({ publicId: 1 }, { unique: true, partialFilterExpression: { publicId: { $type: 'string' } } });
channelSchema.index({ visibility: 1, name: 1 });
channelSchema.index({ type: 1 });
channelSchema.index({ memberIds: 1 });

export const channelMembershipSchema = new Schema(
  {
    channelId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    joinedAt: { type: Date, default: () => new Date() },
    origin_type: { type: String, enum: ORIGIN_TYPES, default: 'invite' },
    invited_by: ObjectId,
    lastReadAt: Date,
    unreadCount: { type: Number, default: 0 },
    mentionCount: { type: Number, default: 0 },
    muted: { type: Boolean, default: false },
    /** Channel-level role: overrides the org role for this channel and its messages. */
    role: String,
  },
  tenantOpts('channel_memberships'),
);
channelMembershipSchema.index({ channelId: 1, userId: 1 }, { unique: true });
channelMembershipSchema.index({ userId: 1, channelId: 1 });

export const messageSchema = new Schema(
  {
    channelId: { type: ObjectId, required: true },
    senderId: { type: ObjectId, required: true },
    content: { type: String, default: '' },
    attachments: { type: [Object], default: [] },
    parentMessageId: ObjectId,
    replyCount: { type: Number, default: 0 },
    reactions: { type: [{ _id: false, emoji: String, users: [ObjectId] }], default: [] },
    editedAt: Date,
    isDeleted: { type: Boolean, default: false },
    taggedUsers: { type: [ObjectId], default: [] },
    richContent: Object,
  },
  tenantOpts('messages'),
);
messageSchema.index({ channelId: 1, createdAt: -1 });
messageSchema.index({ parentMessageId: 1, createdAt: 1 }, { sparse: true });
messageSchema.index({ content: 'text' });

export const NOTIFICATION_TTL_MS = 30 * 24 * 3600 * 1000;

export const notificationSchema = new Schema(
  {
    userId: { type: ObjectId, required: true },
    type: { type: String, enum: ['mention', 'message', 'invite', 'reply', 'reaction', 'sla', 'assignment'], required: true },
    triggeredBy: ObjectId,
    channelId: ObjectId,
    messageId: ObjectId,
    conversationId: ObjectId,
    title: { type: String, required: true },
    read: { type: Boolean, default: false },
    // A default rather than the seed's pre-save hook: it also applies to insertMany and create().
    expiresAt: { type: Date, default: () => new Date(Date.now() + NOTIFICATION_TTL_MS) },
  },
  tenantOpts('notifications'),
);
notificationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
notificationSchema.index({ userId: 1, read: 1, createdAt: -1 });

export const pinSchema = new Schema(
  {
    channelId: { type: ObjectId, required: true },
    messageId: { type: ObjectId, required: true },
    isGlobalPin: { type: Boolean, default: false },
    pinnedBy: ObjectId,
  },
  tenantOpts('pins'),
);
pinSchema.index({ channelId: 1, messageId: 1 }, { unique: true });

export const fileSchema = new Schema(
  {
    uploadedBy: { type: ObjectId, required: true },
    channelId: ObjectId,
    conversationId: ObjectId,
    fileName: { type: String, required: true },
    s3Path: { type: String, required: true },
    fileType: String,
    fileSize: { type: Number, required: true, min: 0 },
    thumbnailPath: String,
  },
  tenantOpts('files'),
);
fileSchema.index({ channelId: 1, createdAt: -1 });
fileSchema.index({ uploadedBy: 1, createdAt: -1 });

export type ChannelDoc = InferSchemaType<typeof channelSchema>;
export type MessageDoc = InferSchemaType<typeof messageSchema>;
