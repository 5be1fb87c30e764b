import { z } from 'zod';
import { router } from '../init';
import { superAdminProcedure } from '../procedures';
import { platformAuditRouter } from './platform-audit';
import { platformDomainsRouter } from './platform-domains';
import { platformOrgsRouter } from './platform-orgs';

/** Everything the operator panel calls: platform host + super admin with MFA, never a tenant. */
export const platformRouter = router({
  me: superAdminProcedure.input(z.strictObject({}).optional()).query(({ ctx }) => ctx.superAdmin),
  orgs: platformOrgsRouter,
  domains: platformDomainsRouter,
  audit: platformAuditRouter,
});
