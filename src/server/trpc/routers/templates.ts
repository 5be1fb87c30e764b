import { z } from 'zod';
import { objectIdInput } from '../../services/shared/ids';
import { createTemplate, deleteTemplate, listTemplates, templateInput, templateUpdateInput, updateTemplate } from '../../services/workspace/templates';
import { actorOf } from '../actor';
import { router } from '../init';
import { can } from '../procedures';

/**
 * Message templates in the admin console (subject 'Template'). The composer reads the sendable ones
 * through `workspace.templates`, scoped to the open conversation.
 */
export const templatesRouter = router({
  list: can('read', 'Template')
    .input(z.strictObject({}).optional())
    .query(({ ctx }) => listTemplates(ctx.org.slug)),
  create: can('create', 'Template')
    .input(templateInput)
    .mutation(({ ctx, input }) => createTemplate(ctx.org.slug, input, actorOf(ctx))),
  update: can('update', 'Template')
    .input(templateUpdateInput)
    .mutation(({ ctx, input }) => updateTemplate(ctx.org.slug, input.id, input.template, actorOf(ctx))),
  remove: can('delete', 'Template')
    .input(z.strictObject({ id: objectIdInput }))
    .mutation(({ ctx, input }) => deleteTemplate(ctx.org.slug, input.id, actorOf(ctx))),
});
