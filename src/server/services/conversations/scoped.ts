import { z } from 'zod';
import { asSubject, scopedFilter, type AppAbility } from '../../authz';
import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { CONVERSATION_STATUSES } from '../../db/models/tenant';
import { objectIdInput, oid, plain } from '../shared/ids';
import { moveConversation } from '../assignment/reassign';

/**
 * Conversations as a user may see them: every read goes through the CASL filter (own teams, own
 * branch, assigned to me...), combined with the user's own filter by `$and`. A conversation outside
 * the user's scope is NOT_FOUND, exactly like one that does not exist.
 */
export const conversationListInput = z
  .strictObject({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    teamId: objectIdInput.optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ limit: 50 });

const FIELDS = { customerId: 1, channel: 1, status: 1, priority: 1, assigneeId: 1, teamId: 1, branchId: 1, lastMessageAt: 1, lastMessagePreview: 1, updatedAt: 1 };

export async function listConversations(slug: string, ability: AppAbility, input: z.infer<typeof conversationListInput>) {
  const own: Record<string, unknown> = {};
  if (input.status) own.status = { $eq: input.status };
  if (input.teamId) own.teamId = { $eq: oid(input.teamId) };
  const rows = await tenantModels(slug)
    .Conversation.find(scopedFilter(ability, 'read', 'Conversation', own))
    .select(FIELDS)
    .sort({ updatedAt: -1 })
    .limit(input.limit)
    .lean();
  return rows.map((c) => ({ ...plain(c), id: String(c._id) }));
}

export async function getConversation(slug: string, ability: AppAbility, id: string) {
  const conv = await tenantModels(slug)
    .Conversation.findOne(scopedFilter(ability, 'read', 'Conversation', { _id: { $eq: oid(id) } }))
    .select(FIELDS)
    .lean();
  if (!conv) throw new AppError('NOT_FOUND', 'Conversation not found');
  return { ...plain(conv), id: String(conv._id) };
}

/** The conversation if the user may do `action` on it; NOT_FOUND if they cannot even see it. */
export async function conversationFor(slug: string, ability: AppAbility, id: string, action: 'reply' | 'reassign') {
  const conv = await getConversation(slug, ability, id);
  if (!ability.can(action, asSubject('Conversation', conv))) throw new AppError('FORBIDDEN', `Not allowed to ${action} this conversation`);
  return conv;
}

export const reassignInput = z.strictObject({ id: objectIdInput, assigneeId: objectIdInput.nullable(), teamId: objectIdInput.nullable().optional() });

/** Team Leads reassign within their own teams: the conversation after the move must still be in scope. */
export async function reassignConversation(slug: string, ability: AppAbility, input: z.infer<typeof reassignInput>, actorId?: string) {
  const conv = await conversationFor(slug, ability, input.id, 'reassign');
  const teamId = input.teamId === undefined ? conv.teamId : input.teamId;
  if (!ability.can('reassign', asSubject('Conversation', { ...conv, teamId: teamId ?? undefined }))) {
    throw new AppError('FORBIDDEN', 'Not allowed to move this conversation to that team');
  }
  if (input.teamId !== undefined) {
    await tenantModels(slug).Conversation.updateOne({ _id: { $eq: oid(input.id) } }, { $set: { teamId: input.teamId ? oid(input.teamId) : null } });
  }
  await moveConversation(slug, input.id, input.assigneeId, actorId); // load counters, history, live events
  return { id: input.id };
}
