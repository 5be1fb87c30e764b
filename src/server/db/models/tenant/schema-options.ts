import { Schema } from 'mongoose';

/**
 * Options of every tenant schema. Tenant models never build indexes or collections when they are
 * registered: registration must stay cheap for a cold tenant (< 50 ms). Provisioning creates them
 * once (ensureTenantIndexes).
 */
const BASE = { timestamps: true, autoIndex: false, autoCreate: false, strict: true } as const;

export function tenantOpts<E extends object = object>(collection: string, extra?: E) {
  return { ...BASE, collection, ...(extra as E) } as Omit<typeof BASE, keyof E> & { collection: string } & E;
}

export const { ObjectId } = Schema.Types;
