import { z } from 'zod';
import { queueReply, replyInput } from '../../services/inbox/outbound';
import {
  conversationFor,
  conversationListInput,
  getConversation,
  listConversations,
  reassignConversation,
  reassignInput,
} from '../../services/conversations/scoped';
import { objectIdInput } from '../../services/shared/ids';
import { router } from '../init';
import { can } from '../procedures';

/**
 * Conversations, read side and the two permission-heavy actions (reply, reassign). Scope is decided
 * per document by CASL (all / own teams / own branch / assigned to me).
 */
export const conversationsRouter = router({
  list: can('read', 'Conversation').input(conversationListInput).query(({ ctx, input }) => listConversations(ctx.org.slug, ctx.ability, input)),
  get: can('read', 'Conversation')
    .input(z.strictObject({ id: objectIdInput }))
    .query(({ ctx, input }) => getConversation(ctx.org.slug, ctx.ability, input.id)),
  reply: can('reply', 'Conversation')
    .input(replyInput)
    .mutation(async ({ ctx, input }) => {
      await conversationFor(ctx.org.slug, ctx.ability, input.conversationId, 'reply');
      return queueReply(ctx.org.slug, ctx.user.id, input);
    }),
  reassign: can('reassign', 'Conversation')
    .input(reassignInput)
    .mutation(({ ctx, input }) => reassignConversation(ctx.org.slug, ctx.ability, input, ctx.user.id)),
});
