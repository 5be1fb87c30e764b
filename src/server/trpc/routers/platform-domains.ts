import { z } from 'zod';
import { addCustomDomain, listCustomDomains, removeCustomDomain, verifyCustomDomain } from '../../tenancy/domains';
import { slugInput } from '../../tenancy/org-input';
import { router } from '../init';
import { superAdminProcedure } from '../procedures';
import { platformActor } from './platform-actor';

/** Custom domains: add -> publish the TXT record -> verify (a real DNS lookup) -> remove. */
const domainInput = z.strictObject({ slug: slugInput, domain: z.string().trim().min(3).max(253) });

export const platformDomainsRouter = router({
  list: superAdminProcedure.input(z.strictObject({ slug: slugInput })).query(({ input }) => listCustomDomains(input.slug)),
  add: superAdminProcedure
    .input(domainInput)
    .mutation(({ ctx, input }) => addCustomDomain(input.slug, input.domain, platformActor(ctx))),
  verify: superAdminProcedure
    .input(domainInput)
    .mutation(({ ctx, input }) => verifyCustomDomain(input.domain, platformActor(ctx))),
  remove: superAdminProcedure.input(domainInput).mutation(async ({ ctx, input }) => {
    await removeCustomDomain(input.slug, input.domain, platformActor(ctx));
    return { ok: true };
  }),
});
