import { createCallerFactory, router } from './init';
import { healthRouter } from './routers/health';
import { orgRouter } from './routers/org';
import { platformRouter } from './routers/platform-router';

/** One router per domain; later issues add theirs here (inbox, chat, admin, platform...). */
export const appRouter = router({
  health: healthRouter,
  org: orgRouter,
  platform: platformRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side and test entry: `createCaller(createInnerContext({ host, user }))`. */
export const createCaller = createCallerFactory(appRouter);
