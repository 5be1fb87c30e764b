import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { TrpcContext } from './context';
import { isAppError } from '../errors';
import { toTrpcError } from './errors';

export const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Unexpected errors keep their message in the server log only (the route handler's onError).
    const hidden = error.code === 'INTERNAL_SERVER_ERROR' && !isAppError(error.cause);
    return {
      ...shape,
      message: hidden ? 'Internal error' : shape.message,
      data: {
        ...shape.data,
        // Field-level messages for forms; nothing else from the cause reaches the client.
        zodIssues: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path, message: i.message })) : undefined,
        stack: undefined,
      },
    };
  },
});

/** Turns AppError (thrown by services) into TRPCError once, for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTrpcError(result.error.cause);
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const baseProcedure = t.procedure.use(mapErrors);
