import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { isAppError, type AppErrorCode } from '../errors';

/** The one place AppError codes become tRPC codes (which in turn decide the HTTP status). */
const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export function toTrpcError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  if (isAppError(err)) return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
  // Unknown errors keep their cause for logs but never leak their message to clients.
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error', cause: err });
}
