import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { connectMongo } from '@/server/db/mongo';
import { createHttpContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';

export const dynamic = 'force-dynamic';

async function handler(req: Request) {
  await connectMongo();
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createHttpContext(req),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path ?? '?'}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
