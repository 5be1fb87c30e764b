import { z } from 'zod';
import { exportConversationsCsv } from '../../services/exports/conversations';
import { slaReport } from '../../services/reports/sla';
import { actorOf } from '../actor';
import { auditOrgChange } from '../../services/audit';
import { router } from '../init';
import { can } from '../procedures';

const none = z.strictObject({}).optional();

/** SLA reports (scoped: all / own teams / own branch / self) and raw data export. */
export const reportsRouter = router({
  sla: can('read', 'SlaReport').input(none).query(({ ctx }) => slaReport(ctx.org.slug, ctx.ability)),
  exportConversations: can('create', 'Export')
    .input(none)
    .mutation(async ({ ctx }) => {
      const out = await exportConversationsCsv(ctx.org.slug, ctx.ability);
      // Raw data leaving the system is an administrative event worth a trace.
      await auditOrgChange(ctx.org.slug, actorOf(ctx), 'export.conversations', { type: 'Export', id: 'conversations' }, { after: { rows: out.rows } });
      return out;
    }),
});
