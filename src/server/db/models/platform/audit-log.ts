import { Schema, type InferSchemaType } from 'mongoose';
import { appendOnly, auditEntryFields } from '../shared/audit-entry';

/** Platform audit log: everything super admins and provisioning do. Kept one year (TTL). */
export const platformAuditLogSchema = new Schema(
  {
    ...auditEntryFields,
    orgSlug: { type: String, index: true },
  },
  { collection: 'audit_logs', versionKey: false },
);
platformAuditLogSchema.index({ timestamp: 1 }, { expireAfterSeconds: 31_536_000 });
platformAuditLogSchema.index({ seq: 1 }, { unique: true });
platformAuditLogSchema.index({ orgSlug: 1, timestamp: -1 });
appendOnly(platformAuditLogSchema);

export type PlatformAuditLogDoc = InferSchemaType<typeof platformAuditLogSchema>;
