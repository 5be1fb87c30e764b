/**
 * The one error type services throw. It knows nothing of HTTP, tRPC or Socket.IO: each shell maps
 * `code` to its own vocabulary in one place (see `httpStatusOf` and src/server/trpc/errors.ts).
 */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'PRECONDITION_FAILED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  PRECONDITION_FAILED: 412,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function httpStatusOf(code: AppErrorCode): number {
  return HTTP_STATUS[code];
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
