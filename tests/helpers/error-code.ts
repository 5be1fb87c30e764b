import { TRPCError } from '@trpc/server';
import { isAppError } from '@/server/errors';

/** 'OK', or the code a service (AppError) or a procedure (TRPCError) refused with; anything else rethrows. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof TRPCError || isAppError(err)) return err.code;
    throw err;
  }
}
