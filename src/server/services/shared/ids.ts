import { Types } from 'mongoose';
import { z } from 'zod';

/**
 * Ids arrive from clients as 24-hex strings and nothing else: never an object, so an operator such
 * as `{ "$ne": null }` can never reach a filter through an id field.
 */
export const objectIdInput = z.string().regex(/^[0-9a-f]{24}$/, 'Not a valid id');

export const oid = (id: string) => new Types.ObjectId(id);

/** Plain JSON-safe copies of documents for audit before/after and API answers. */
export function plain<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

/** Duplicate-key errors become a CONFLICT the user can act on. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}
