import { z } from 'zod';
import { tenantProcedure } from '../procedures';
import { loadOrg } from '../../tenancy/resolve';
import { router } from '../init';

export const orgRouter = router({
  /** The public face of the organisation the host resolved to: safe to show signed-out visitors. */
  current: tenantProcedure.input(z.strictObject({}).optional()).query(async ({ ctx }) => {
    const doc = await loadOrg(ctx.org.slug);
    const b = doc?.branding;
    return {
      slug: ctx.org.slug,
      name: ctx.org.name,
      branding: { appName: b?.appName ?? ctx.org.name, logo: b?.logo ?? null, favicon: b?.favicon ?? null, colors: { ...(b?.colors ?? {}) } },
    };
  }),
});
