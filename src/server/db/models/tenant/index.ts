import type { Connection } from 'mongoose';
import { branchStatSchema, orderSchema } from './commerce';
import {
  assignmentSchema,
  conversationMessageSchema,
  conversationSchema,
  customerSchema,
  presenceSessionSchema,
  routingRuleSchema,
  templateSchema,
} from './inbox';
import { branchSchema, teamSchema, userSchema } from './people';
import { eventLogSchema, jobSchema, settingSchema, tenantAuditLogSchema } from './system';
import { channelMembershipSchema, channelSchema, fileSchema, messageSchema, notificationSchema, pinSchema } from './team-chat';

/**
 * The model factory for one tenant connection (`org_<slug>_db`). Registration is cheap (no index
 * builds); use tenantModels(slug) from src/server/tenancy/connections.ts rather than calling this.
 */
export function registerTenantModels(conn: Connection) {
  return {
    User: conn.model('User', userSchema),
    Team: conn.model('Team', teamSchema),
    Branch: conn.model('Branch', branchSchema),
    Customer: conn.model('Customer', customerSchema),
    Conversation: conn.model('Conversation', conversationSchema),
    ConversationMessage: conn.model('ConversationMessage', conversationMessageSchema),
    Assignment: conn.model('Assignment', assignmentSchema),
    PresenceSession: conn.model('PresenceSession', presenceSessionSchema),
    RoutingRule: conn.model('RoutingRule', routingRuleSchema),
    Order: conn.model('Order', orderSchema),
    BranchStat: conn.model('BranchStat', branchStatSchema),
    Template: conn.model('Template', templateSchema),
    Channel: conn.model('Channel', channelSchema),
    ChannelMembership: conn.model('ChannelMembership', channelMembershipSchema),
    Message: conn.model('Message', messageSchema),
    Notification: conn.model('Notification', notificationSchema),
    Pin: conn.model('Pin', pinSchema),
    File: conn.model('File', fileSchema),
    Job: conn.model('Job', jobSchema),
    Setting: conn.model('Setting', settingSchema),
    AuditLog: conn.model('AuditLog', tenantAuditLogSchema),
    EventLog: conn.model('EventLog', eventLogSchema),
  };
}
export type TenantModels = ReturnType<typeof registerTenantModels>;

/** Create every collection and index of a tenant database; idempotent (provisioning, migrations). */
export async function ensureTenantIndexes(models: TenantModels): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    await model.createIndexes();
  }
}

export * from './people';
export * from './inbox';
export * from './commerce';
export * from './team-chat';
export * from './system';
