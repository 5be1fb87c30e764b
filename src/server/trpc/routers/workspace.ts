import { z } from 'zod';
import { cannedSaveInput, listCanned, saveCanned } from '../../services/workspace/canned';
import { changePriority, changeStatus, markRead, priorityInput, readInput, statusInput } from '../../services/workspace/controls';
import { customerPanel, templatesFor } from '../../services/workspace/customer-panel';
import { addNote, conversationMessages, messagesInput, noteInput } from '../../services/workspace/messages';
import { listView, viewCounts, viewListInput, viewsFor } from '../../services/workspace/views';
import { objectIdInput } from '../../services/shared/ids';
import { actorOf } from '../actor';
import { router } from '../init';
import { authedProcedure, can } from '../procedures';

/**
 * The agent workspace: views and counts, the open conversation, notes, status and priority, the
 * customer panel, templates and canned responses. Every read is CASL-scoped
 * in the services; replies and reassignment stay in `conversations`.
 */
const byConversation = z.strictObject({ conversationId: objectIdInput });
const read = can('read', 'Conversation');

export const workspaceRouter = router({
  views: authedProcedure.input(z.strictObject({})).query(async ({ ctx }) => ({
    views: viewsFor(ctx.ability, ctx.user),
    counts: await viewCounts(ctx.org.slug, ctx.ability, ctx.user),
  })),
  list: read.input(viewListInput).query(({ ctx, input }) => listView(ctx.org.slug, ctx.ability, ctx.user, input)),
  messages: read.input(messagesInput).query(({ ctx, input }) => conversationMessages(ctx.org.slug, ctx.ability, input)),
  customer: read.input(byConversation).query(({ ctx, input }) => customerPanel(ctx.org.slug, ctx.ability, input.conversationId)),
  templates: read.input(byConversation).query(({ ctx, input }) => templatesFor(ctx.org.slug, ctx.ability, input.conversationId)),
  addNote: read.input(noteInput).mutation(({ ctx, input }) => addNote(ctx.org.slug, ctx.ability, ctx.user.id, input)),
  setStatus: can('update', 'Conversation')
    .input(statusInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.org.slug, ctx.ability, ctx.user.id, input)),
  setPriority: can('update', 'Conversation')
    .input(priorityInput)
    .mutation(({ ctx, input }) => changePriority(ctx.org.slug, ctx.ability, input)),
  markRead: read.input(readInput).mutation(({ ctx, input }) => markRead(ctx.org.slug, ctx.ability, input)),
  canned: authedProcedure.input(z.strictObject({})).query(({ ctx }) => listCanned(ctx.org.slug)),
  saveCanned: can('update', 'Settings')
    .input(cannedSaveInput)
    .mutation(({ ctx, input }) => saveCanned(ctx.org.slug, input.items, actorOf(ctx))),
});
