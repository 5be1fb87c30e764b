import type { InferSchemaType } from 'mongoose';
import { Schema } from 'mongoose';
import { ObjectId, tenantOpts } from './schema-options';

/** Commerce context for the agent's customer panel (operations seed: customers 1:N orders). */
export const orderSchema = new Schema(
  {
    customerId: { type: ObjectId, required: true },
    source: { type: String, required: true }, // shop or POS system
    externalId: { type: String, required: true },
    branchId: ObjectId,
    status: String,
    total: Number,
    currency: String,
    items: { type: [Object], default: [] },
    placedAt: Date,
  },
  tenantOpts('orders'),
);
orderSchema.index({ source: 1, externalId: 1 }, { unique: true });
orderSchema.index({ customerId: 1, placedAt: -1 });

/** Daily per-branch figures from POS syncs, for reconciliation dashboards. */
export const branchStatSchema = new Schema(
  {
    branchId: { type: ObjectId, required: true },
    date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    metrics: { type: Object, default: () => ({}) },
  },
  tenantOpts('branch_stats'),
);
branchStatSchema.index({ branchId: 1, date: -1 }, { unique: true });

export type OrderDoc = InferSchemaType<typeof orderSchema>;
