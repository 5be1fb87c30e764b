import { AppError } from '../../errors';
import { tenantModels } from '../../tenancy/connections';
import { renderForSend } from './templates-body';

/**
 * The one rule for which template may go to a conversation, used by both the composer's picker
 * (templatesFor) and the send path (queueReply): approved, same channel, and either org-wide or made
 * for the conversation's inbox.
 */
export function sendableFilter(conv: { channel: string; inboxId?: string | null }) {
  return {
    status: 'approved' as const,
    channel: { $eq: conv.channel },
    $or: [{ inboxId: { $exists: false } }, { inboxId: null }, { inboxId: { $eq: conv.inboxId ?? '' } }],
  };
}

/** The content and provider payload of a template reply, or an error in words. */
export async function templateReply(
  slug: string,
  conv: { channel: string; inboxId?: string | null },
  templateId: string,
  values: readonly string[],
) {
  const tpl = await tenantModels(slug).Template.findById(templateId).lean();
  const scoped = tpl && tpl.channel === conv.channel && (!tpl.inboxId || tpl.inboxId === conv.inboxId);
  if (!tpl || !scoped) throw new AppError('NOT_FOUND', 'Template not found for this conversation’s inbox');
  if (tpl.status !== 'approved') throw new AppError('PRECONDITION_FAILED', `Template “${tpl.name}” is not approved`);
  const content = renderForSend(tpl.body, tpl.variables, values);
  const variables = values.map((v) => v.trim());
  return { content, payload: { template: { name: tpl.name, language: tpl.language ?? 'en', variables } } };
}
