import { z } from 'zod';
import { getPublicOrgConfig } from '../../tenancy/public-config';
import { tenantProcedure } from '../procedures';
import { router } from '../init';

export const orgRouter = router({
  /** The public face of the organisation the host resolved to: safe to show signed-out visitors. */
  current: tenantProcedure.input(z.strictObject({}).optional()).query(({ ctx }) => getPublicOrgConfig(ctx.org.slug)),
});
