import { Schema, type SchemaDefinition, type SchemaOptions } from 'mongoose';

/**
 * Tenant schemas never build indexes or collections when a model is registered: registration must
 * stay cheap for a cold tenant (< 50 ms). Provisioning creates them once (ensureTenantIndexes).
 */
export function tenantSchema<T extends SchemaDefinition>(collection: string, def: T, opts: SchemaOptions = {}) {
  return new Schema(def, {
    collection,
    timestamps: true,
    autoIndex: false,
    autoCreate: false,
    strict: true,
    ...opts,
  });
}

export const { ObjectId } = Schema.Types;
