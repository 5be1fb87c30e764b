import type { InferSchemaType } from 'mongoose';
import { Schema } from 'mongoose';
import { ObjectId, tenantOpts } from './schema-options';

export const CONVERSATION_CHANNELS = ['whatsapp', 'messenger', 'instagram', 'webchat', 'sms', 'twilio_whatsapp'] as const;
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export const customerSchema = new Schema(
  {
    name: String,
    email: { type: String, lowercase: true, trim: true },
    phone: String,
    /** One identity per channel account; merged customers carry several. */
    identities: { type: [{ _id: false, channel: String, externalId: String, inboxId: String }], default: [] },
    /** `<channel>|<externalId>` of every identity: the unique multikey index makes upserts race-free. */
    identityKeys: { type: [String], default: [] },
    attributes: { type: Object, default: () => ({}) },
    tags: { type: [String], default: [] },
    language: String,
    branchId: ObjectId,
    lastSeenAt: Date,
    mergedInto: ObjectId,
  },
  tenantOpts('customers'),
);
customerSchema.index({ 'identities.channel': 1, 'identities.externalId': 1 });
customerSchema.index({ identityKeys: 1 }, { unique: true, partialFilterExpression: { identityKeys: { $type: 'string' } } });
customerSchema.index({ email: 1 }, { sparse: true });
customerSchema.index({ phone: 1 }, { sparse: true });
customerSchema.index({ name: 'text', email: 'text', phone: 'text' });

export const conversationSchema = new Schema(
  {
    customerId: { type: ObjectId, required: true },
    channel: { type: String, enum: CONVERSATION_CHANNELS, required: true },
    inboxId: String,
    /**
     * `<customerId>|<inboxId>` while the conversation is not resolved, unset once it is: the unique
     * index allows one live conversation per customer and inbox, so concurrent arrivals never open two.
     */
    activeKey: String,
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'open' },
    priority: { type: String, enum: PRIORITIES, default: 'normal' },
    labels: { type: [String], default: [] },
    assigneeId: ObjectId,
    teamId: ObjectId,
    branchId: ObjectId,
    requiredSkills: { type: [String], default: [] },
    queuedAt: Date, // waiting for an agent since
    snoozedUntil: Date,
    lastMessageAt: Date,
    lastMessagePreview: String,
    lastCustomerMessageAt: Date, // Meta's 24-hour window starts here
    firstResponseAt: Date,
    firstResponseDueAt: Date,
    resolutionDueAt: Date,
    resolvedAt: Date,
    unreadCount: { type: Number, default: 0 },
  },
  tenantOpts('conversations'),
);
conversationSchema.index({ status: 1, assigneeId: 1, updatedAt: -1 });
conversationSchema.index({ activeKey: 1 }, { unique: true, partialFilterExpression: { activeKey: { $type: 'string' } } });
conversationSchema.index({ teamId: 1, status: 1, updatedAt: -1 });
conversationSchema.index({ branchId: 1, status: 1, updatedAt: -1 });
conversationSchema.index({ customerId: 1, updatedAt: -1 });
conversationSchema.index({ status: 1, queuedAt: 1 });
conversationSchema.index({ firstResponseDueAt: 1 }, { sparse: true });

export const conversationMessageSchema = new Schema(
  {
    conversationId: { type: ObjectId, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    senderType: { type: String, enum: ['customer', 'agent', 'system', 'bot'], required: true },
    senderId: ObjectId,
    type: { type: String, enum: ['text', 'media', 'location', 'interactive', 'template', 'note'], default: 'text' },
    content: String,
    attachments: { type: [Object], default: [] },
    payload: Object, // location, interactive reply, template variables
    providerMessageId: String,
    /** When the provider says it was sent (inbound) or accepted it (outbound). */
    sentAt: Date,
    /** Inbound: conversation counters and events applied (a retried job does not apply them twice). */
    applied: Boolean,
    status: { type: String, enum: ['received', 'queued', 'sent', 'delivered', 'read', 'failed'], default: 'received' },
    error: { code: String, message: String },
    /** Delivery history: one entry per provider status, kept in arrival order. */
    statusHistory: { type: [{ _id: false, status: String, at: Date }], default: [] },
  },
  tenantOpts('conversation_messages'),
);
conversationMessageSchema.index({ conversationId: 1, createdAt: 1 });
conversationMessageSchema.index(
  { providerMessageId: 1 },
  { unique: true, partialFilterExpression: { providerMessageId: { $type: 'string' } } },
);
conversationMessageSchema.index({ content: 'text' });

export const assignmentSchema = new Schema(
  {
    conversationId: { type: ObjectId, required: true },
    agentId: { type: ObjectId, required: true },
    teamId: ObjectId,
    active: { type: Boolean, default: true },
    strategy: { type: String, enum: ['round_robin', 'least_loaded', 'manual'], default: 'manual' },
    assignedBy: ObjectId,
    reason: String,
    endedAt: Date,
    endReason: String,
  },
  tenantOpts('assignments'),
);
// A conversation has at most one active assignment (1:1), history kept.
assignmentSchema.index({ conversationId: 1 }, { unique: true, partialFilterExpression: { active: true } });
assignmentSchema.index({ agentId: 1, active: 1 });

export const presenceSessionSchema = new Schema(
  {
    userId: { type: ObjectId, required: true },
    status: { type: String, enum: ['online', 'away', 'offline'], required: true },
    startedAt: { type: Date, default: () => new Date() },
    lastHeartbeatAt: Date,
    endedAt: Date,
  },
  tenantOpts('presence_sessions'),
);
presenceSessionSchema.index({ userId: 1, startedAt: -1 });

export const routingRuleSchema = new Schema(
  {
    name: { type: String, required: true },
    order: { type: Number, required: true },
    enabled: { type: Boolean, default: true },
    conditions: { type: [Object], default: [] },
    actions: { teamId: ObjectId, requiredSkills: [String], priority: String, labels: [String] },
  },
  tenantOpts('routing_rules'),
);
routingRuleSchema.index({ enabled: 1, order: 1 });

export const templateSchema = new Schema(
  {
    name: { type: String, required: true },
    language: { type: String, default: 'en' },
    channel: { type: String, required: true },
    category: String,
    body: { type: String, required: true },
    /** A label per `{{n}}` (what the agent fills in), '' when none. */
    variables: { type: [String], default: [] },
    /** An example value per `{{n}}`: Meta requires them to review a template. */
    examples: { type: [String], default: [] },
    /** Limited to one inbox (its id); unset = every inbox of the channel. */
    inboxId: String,
    status: { type: String, enum: ['approved', 'pending', 'rejected'], default: 'pending' },
    providerTemplateId: String,
  },
  tenantOpts('templates'),
);
templateSchema.index({ channel: 1, name: 1, language: 1 }, { unique: true });

export type CustomerDoc = InferSchemaType<typeof customerSchema>;
export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export type ConversationMessageDoc = InferSchemaType<typeof conversationMessageSchema>;
