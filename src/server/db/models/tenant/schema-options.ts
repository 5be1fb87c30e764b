import { Schema } from 'mongoose';

/**
 * Options of every tenant schema. Tenant models never build indexes or collections when they are
 * registered: registration must stay cheap for a cold tenant (< 50 ms). Provisioning creates them
 * once (ensureTenantIndexes).
 */
export function tenantOpts<E extends object = object>(collection: string, extra?: E) {
  return {
    collection,
    timestamps: true,
    autoIndex: false,
    autoCreate: false,
    strict: true,
    ...(extra as E),
  } as const;
}

export const { ObjectId } = Schema.Types;
