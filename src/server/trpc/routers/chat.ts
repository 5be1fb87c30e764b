import { z } from 'zod';
import {
  channelCreateInput,
  createChannel,
  deleteMessage,
  editMessage,
  listChannels,
  messageEditInput,
  pinMessage,
} from '../../services/chat/moderation';
import { objectIdInput } from '../../services/shared/ids';
import { router } from '../init';
import { authedProcedure, can } from '../procedures';

const byId = z.strictObject({ id: objectIdInput });

/**
 * Team chat, the permission-bearing procedures. Message checks happen per document with the channel
 * ability (own messages for everyone, any message for moderators or a channel-level moderator role).
 */
export const chatRouter = router({
  channels: router({
    list: can('read', 'Channel').input(z.strictObject({}).optional()).query(({ ctx }) => listChannels(ctx.org.slug, ctx.ability)),
    create: can('create', 'Channel').input(channelCreateInput).mutation(({ ctx, input }) => createChannel(ctx.org.slug, ctx.user.id, input)),
  }),
  messages: router({
    edit: authedProcedure.input(messageEditInput).mutation(({ ctx, input }) => editMessage(ctx.org.slug, ctx.roles, ctx.abilityUser, input)),
    delete: authedProcedure.input(byId).mutation(({ ctx, input }) => deleteMessage(ctx.org.slug, ctx.roles, ctx.abilityUser, input.id)),
    pin: authedProcedure.input(byId).mutation(({ ctx, input }) => pinMessage(ctx.org.slug, ctx.roles, ctx.abilityUser, input.id)),
  }),
});
