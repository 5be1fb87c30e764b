import { Schema, type InferSchemaType } from 'mongoose';
import { appendOnly, auditEntryFields } from '../shared/audit-entry';
import { ObjectId, tenantOpts } from './schema-options';

export const jobSchema = new Schema(
  {
    jobType: { type: String, enum: ['purge', 'export'], required: true },
    status: { type: String, enum: ['pending', 'running', 'completed', 'failed'], default: 'pending' },
    /** One scheduled purge/export per day (partial unique below). */
    jobDate: Date,
    params: Object,
    result: Object,
    error: String,
    requestedBy: ObjectId,
  },
  tenantOpts('jobs'),
);
jobSchema.index({ jobType: 1, jobDate: 1 }, { unique: true, partialFilterExpression: { jobDate: { $type: 'date' } } });
jobSchema.index({ status: 1, createdAt: -1 });

/**
 * Key/value settings. `_id` is the key (a String): declared in the schema, never combined with the
 * `{ _id: false }` option, which mongoose rejects for top-level documents (tested explicitly).
 */
export const settingSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed },
  },
  tenantOpts('settings'),
);

export const tenantAuditLogSchema = new Schema(
  { ...auditEntryFields },
  tenantOpts('audit_logs', { timestamps: false, versionKey: false } as const),
);
tenantAuditLogSchema.index({ seq: 1 }, { unique: true });
tenantAuditLogSchema.index({ timestamp: -1 });
tenantAuditLogSchema.index({ action: 1, timestamp: -1 });
tenantAuditLogSchema.index({ actorId: 1, timestamp: -1 });
appendOnly(tenantAuditLogSchema);

/** Immutable log of everything that happens to conversations (operations seed: event logger). */
export const eventLogSchema = new Schema(
  {
    type: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
    conversationId: ObjectId,
    customerId: ObjectId,
    actorType: String,
    actorId: String,
    data: Object,
  },
  tenantOpts('event_log', { timestamps: false, versionKey: false } as const),
);
eventLogSchema.index({ conversationId: 1, at: 1 });
eventLogSchema.index({ type: 1, at: -1 });
appendOnly(eventLogSchema);

export type SettingDoc = InferSchemaType<typeof settingSchema>;
export type JobDoc = InferSchemaType<typeof jobSchema>;
