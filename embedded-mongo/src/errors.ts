/**
 * A MongoDB server error. Serialised into the reply as { ok: 0, errmsg, code, codeName, ...extra },
 * exactly the shape the official driver turns into a MongoServerError.
 */
export class MongoError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'MongoError';
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

// The codes the driver and Mongoose react to; names as MongoDB spells them.
export const Codes = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  InvalidIdField: 53,
  DuplicateKey: 11000,
  Location40324: 40324,
  OperationNotSupportedInTransaction: 263,
  NotImplemented: 238,
  ConflictingUpdateOperators: 40,
  QueryFeatureNotAllowed: 224,
} as const;

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Record<string, unknown>, keyValue: Record<string, unknown>): MongoError {
  const shown = JSON.stringify(keyValue);
  return new MongoError(
    Codes.DuplicateKey,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${shown}`,
    { keyPattern, keyValue },
  );
}
