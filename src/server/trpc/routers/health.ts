import { z } from 'zod';
import { publicProcedure } from '../procedures';
import { router } from '../init';

export const healthRouter = router({
  /** Liveness of the tRPC path itself; the full report is GET /api/health. */
  ping: publicProcedure.input(z.strictObject({}).optional()).query(() => ({ ok: true as const, at: new Date() })),
});
