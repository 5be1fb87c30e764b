import type { Connection } from 'mongoose';
import { platformDb } from '../../mongo';
import { platformAuditLogSchema } from './audit-log';
import { domainMappingSchema } from './domain-mapping';
import { inboxRouteSchema } from './inbox-route';
import { organizationSchema } from './organization';
import { superAdminSchema } from './super-admin';
import { webhookOutboxSchema } from './webhook-outbox';

function register(conn: Connection) {
  return {
    Organization: conn.model('Organization', organizationSchema),
    SuperAdmin: conn.model('SuperAdmin', superAdminSchema),
    DomainMapping: conn.model('DomainMapping', domainMappingSchema),
    PlatformAuditLog: conn.model('PlatformAuditLog', platformAuditLogSchema),
    InboxRoute: conn.model('InboxRoute', inboxRouteSchema),
    WebhookOutbox: conn.model('WebhookOutbox', webhookOutboxSchema),
  };
}
export type PlatformModels = ReturnType<typeof register>;

let cached: { conn: Connection; models: PlatformModels } | undefined;

/** Platform models on the shared client (registered once per process). */
export function platformModels(): PlatformModels {
  const conn = platformDb();
  if (cached?.conn !== conn) cached = { conn, models: register(conn) };
  return cached.models;
}

/** Create collections and indexes (TTL included); idempotent, run at start-up and by provisioning. */
export async function ensurePlatformIndexes(): Promise<void> {
  await Promise.all(Object.values(platformModels()).map((m) => m.createIndexes()));
}

export type { OrganizationDoc } from './organization';
export type { SuperAdminDoc } from './super-admin';
export type { DomainMappingDoc } from './domain-mapping';
export type { PlatformAuditLogDoc } from './audit-log';
