import { z } from 'zod';
import {
  createInbox,
  createInboxInput,
  deleteInbox,
  getInbox,
  inboxIdInput,
  listInboxes,
  rotateInboxSecret,
  rotateInboxSecretInput,
  updateInbox,
  updateInboxInput,
} from '../../services/inbox/inboxes';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';

/** Provider inboxes for the admin console: secrets are write-only (only "set / not set" comes back). */
export const inboxesRouter = router({
  list: can('read', 'Inbox').input(z.strictObject({}).optional()).query(({ ctx }) => listInboxes(ctx.org.slug)),
  create: can('create', 'Inbox')
    .input(createInboxInput)
    .mutation(async ({ ctx, input }) => getInbox(ctx.org.slug, (await createInbox(ctx.org.slug, input, actorOf(ctx))).id)),
  /** Name, enable/disable and provider ids; secrets go through rotateSecret. */
  update: can('update', 'Inbox').input(updateInboxInput).mutation(({ ctx, input }) => updateInbox(ctx.org.slug, input, actorOf(ctx))),
  rotateSecret: can('update', 'Inbox')
    .input(rotateInboxSecretInput)
    .mutation(({ ctx, input }) => rotateInboxSecret(ctx.org.slug, input, actorOf(ctx))),
  delete: can('delete', 'Inbox').input(inboxIdInput).mutation(({ ctx, input }) => deleteInbox(ctx.org.slug, input.id, actorOf(ctx))),
});
