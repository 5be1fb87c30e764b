import { z } from 'zod';
import { listPlatformAudit } from '../../tenancy/admin-queries';
import { slugInput } from '../../tenancy/org-input';
import { router } from '../init';
import { superAdminProcedure } from '../procedures';

/** The platform audit log, newest first, filtered by organisation and action, paged by sequence. */
export const platformAuditRouter = router({
  list: superAdminProcedure
    .input(
      z.strictObject({
        orgSlug: slugInput.optional(),
        action: z
          .string()
          .regex(/^[a-z][a-z0-9._-]{0,80}$/)
          .optional(),
        beforeSeq: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ input }) => {
      const rows = await listPlatformAudit(input);
      return rows.map(({ _id, ...row }) => ({ id: String(_id), ...row }));
    }),
});
