import { z } from 'zod';
import { PRIORITIES } from '../../db/models/tenant';
import { objectIdInput } from '../../services/shared/ids';
import { previewDueTimes, recentBreaches } from '../../services/sla/reports';
import { router } from '../init';
import { can } from '../procedures';

/** SLA helpers for the admin page (the policy itself is `routing.sla` / `routing.setSla`). */
export const slaRouter = router({
  dueTimes: can('read', 'SlaPolicy')
    .input(z.strictObject({ priority: z.enum(PRIORITIES).optional(), teamId: objectIdInput.optional(), from: z.coerce.date().optional() }))
    .query(({ ctx, input }) => previewDueTimes(ctx.org.slug, input)),
  breaches: can('read', 'SlaPolicy')
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => recentBreaches(ctx.org.slug, input.limit)),
});
