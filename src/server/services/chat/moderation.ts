import { z } from 'zod';
import { asSubject, buildChannelAbility, scopedFilter, type AbilityUser, type AppAbility, type Role } from '../../authz';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { isDuplicateKey, objectIdInput, oid, plain } from '../shared/ids';

/**
 * The authorisation side of team chat: which channels a user sees, who may create channels, and
 * own-versus-any checks on messages. Message checks use the channel ability (decision 8): a
 * channel-level role from ChannelMembership overrides the organisation role inside that channel.
 */
export const channelCreateInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  visibility: z.enum(['public', 'private']).default('public'),
  type: z.string().trim().min(1).max(40).default('general'),
  topic: z.string().trim().max(300).optional(),
});

export async function listChannels(slug: string, ability: AppAbility) {
  const rows = await tenantModels(slug)
    .Channel.find(scopedFilter(ability, 'read', 'Channel', { archivedAt: { $exists: false } }))
    .select({ name: 1, visibility: 1, type: 1, topic: 1 })
    .sort({ name: 1 })
    .limit(500)
    .lean();
  return rows.map((c) => ({ ...plain(c), id: String(c._id) }));
}

export async function createChannel(slug: string, userId: string, input: z.infer<typeof channelCreateInput>) {
  const { Channel, ChannelMembership } = tenantModels(slug);
  const channel = await Channel.create({ ...input, createdBy: oid(userId), memberIds: [oid(userId)] });
  await ChannelMembership.create({ channelId: channel._id, userId: oid(userId), origin_type: 'system' });
  return { id: String(channel._id) };
}

async function messageAndAbility(slug: string, roles: Role[], user: AbilityUser, messageId: string) {
  const { Message, ChannelMembership } = tenantModels(slug);
  const msg = await Message.findOne({ _id: { $eq: oid(messageId) }, isDeleted: { $ne: true } }).lean();
  if (!msg) throw new AppError('NOT_FOUND', 'Message not found');
  const membership = await ChannelMembership.findOne({ channelId: { $eq: msg.channelId }, userId: { $eq: oid(user.userId) } })
    .select({ role: 1 })
    .lean();
  return { msg, ability: buildChannelAbility(roles, user, membership?.role) };
}

function assertCan(ability: AppAbility, action: 'update' | 'delete' | 'pin', msg: Record<string, unknown>) {
  if (!ability.can(action, asSubject('Message', msg))) throw new AppError('FORBIDDEN', `Not allowed to ${action === 'update' ? 'edit' : action} this message`);
}

export const messageEditInput = z.strictObject({ id: objectIdInput, content: z.string().trim().min(1).max(10_000) });

export async function editMessage(slug: string, roles: Role[], user: AbilityUser, input: z.infer<typeof messageEditInput>) {
  const { msg, ability } = await messageAndAbility(slug, roles, user, input.id);
  assertCan(ability, 'update', msg);
  await tenantModels(slug).Message.updateOne({ _id: { $eq: msg._id } }, { $set: { content: input.content, editedAt: new Date() } });
}

export async function deleteMessage(slug: string, roles: Role[], user: AbilityUser, id: string) {
  const { msg, ability } = await messageAndAbility(slug, roles, user, id);
  assertCan(ability, 'delete', msg);
  await tenantModels(slug).Message.updateOne({ _id: { $eq: msg._id } }, { $set: { isDeleted: true, content: '' } });
}

export async function pinMessage(slug: string, roles: Role[], user: AbilityUser, id: string) {
  const { msg, ability } = await messageAndAbility(slug, roles, user, id);
  assertCan(ability, 'pin', msg);
  try {
    await tenantModels(slug).Pin.create({ channelId: msg.channelId, messageId: msg._id, pinnedBy: oid(user.userId) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // already pinned: pinning is idempotent
  }
}
