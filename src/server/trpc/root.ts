import { createCallerFactory, router } from './init';
import { healthRouter } from './routers/health';
import { orgRouter } from './routers/org';
import { platformRouter } from './routers/platform-router';
import { adminRouter } from './routers/admin-org';
import { chatRouter } from './routers/chat';
import { conversationsRouter } from './routers/conversations';
import { inboxesRouter } from './routers/inboxes';
import { meRouter } from './routers/me';
import { reportsRouter } from './routers/reports';
import { routingRouter } from './routers/routing';
import { workspaceRouter } from './routers/workspace';
import { assignmentRouter } from './routers/assignment';
import { slaRouter } from './routers/sla';
import { templatesRouter } from './routers/templates';

/** One router per domain; later issues add theirs here (inbox, chat, admin, platform...). */
export const appRouter = router({
  health: healthRouter,
  org: orgRouter,
  platform: platformRouter,
  me: meRouter,
  admin: adminRouter,
  conversations: conversationsRouter,
  inboxes: inboxesRouter,
  routing: routingRouter,
  assignment: assignmentRouter,
  sla: slaRouter,
  reports: reportsRouter,
  chat: chatRouter,
  workspace: workspaceRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side and test entry: `createCaller(createInnerContext({ host, user }))`. */
export const createCaller = createCallerFactory(appRouter);
