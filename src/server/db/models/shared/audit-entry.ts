import { Schema } from 'mongoose';
import { AppError } from '../../../errors';

/**
 * The audit entry shape shared by the platform and tenant logs. `seq` orders a chain without gaps;
 * `prevHash`/`hash` are there for the hash chain (sha256 over the previous hash and the canonical
 * entry) so tampering is detectable.
 */
export const auditEntryFields = {
  seq: { type: Number, required: true },
  timestamp: { type: Date, required: true, default: () => new Date() },
  action: { type: String, required: true },
  actorType: { type: String, enum: ['user', 'superadmin', 'system'], required: true },
  actorId: String,
  actorEmail: String,
  target: { type: { type: String }, id: String },
  /** Free-form; secrets are redacted by the writer before they get here. */
  details: Schema.Types.Mixed,
  ipAddress: String,
  userAgent: String,
  prevHash: String,
  hash: String,
} as const;

const FORBIDDEN = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;

/** No code path may change or remove audit entries (TTL expiry happens inside MongoDB). */
export function appendOnly(schema: Schema): void {
  for (const op of FORBIDDEN) {
    schema.pre(op, function () {
      throw new AppError('FORBIDDEN', 'Audit log entries are append-only');
    });
  }
  // bulkWrite skips the query hooks above: only inserts may go through it.
  schema.pre('bulkWrite', function (ops: Array<Record<string, unknown>>) {
    if (ops.some((op) => !('insertOne' in op))) throw new AppError('FORBIDDEN', 'Audit log entries are append-only');
  });
  schema.pre('save', function () {
    if (!this.isNew) throw new AppError('FORBIDDEN', 'Audit log entries are append-only');
  });
}
