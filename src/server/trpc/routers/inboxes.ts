import { z } from 'zod';
import { createInbox, createInboxInput, listInboxes } from '../../services/inbox/inboxes';
import { router } from '../init';
import { can } from '../procedures';

/** Provider inboxes for the admin console: secrets are write-only (only "set / not set" comes back). */
export const inboxesRouter = router({
  list: can('read', 'Inbox').input(z.strictObject({}).optional()).query(({ ctx }) => listInboxes(ctx.org.slug)),
  create: can('create', 'Inbox')
    .input(createInboxInput)
    .mutation(async ({ ctx, input }) => {
      const created = await createInbox(ctx.org.slug, input);
      return (await listInboxes(ctx.org.slug)).find((i) => i.id === created.id)!;
    }),
});
