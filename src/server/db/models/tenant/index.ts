import mongoose, { type Connection, type Model } from 'mongoose';
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
import { inboxSchema } from './inbox-channel';
import { branchSchema, teamSchema, userSchema } from './people';
import { eventLogSchema, jobSchema, settingSchema, tenantAuditLogSchema } from './system';
import { channelMembershipSchema, channelSchema, fileSchema, messageSchema, notificationSchema, pinSchema } from './team-chat';

function compile(conn: Connection) {
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
    Inbox: conn.model('Inbox', inboxSchema),
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
export type TenantModels = ReturnType<typeof compile>;

/**
 * Every schema is compiled once, on a connection that never opens; each tenant gets cheap subclasses
 * bound to its own `useDb` view (what mongoose itself does for `conn.model(name)`). Compiling 22
 * schemas per tenant cost ~4 ms and ~330 KB of heap each; a subclass costs a few microseconds.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document shape: these helpers only route models
type AnyModel = Model<any>;

let templates: TenantModels | undefined;
const SUBCLASSED = Symbol.for('tenant-models:subclassed-key');

function subclassList(template: AnyModel): unknown[] | undefined {
  // mongoose keeps every subclass in a private array on its parent; find that symbol once.
  const holder = template as unknown as Record<symbol, unknown>;
  let sym = holder[SUBCLASSED] as symbol | undefined;
  if (!sym) {
    sym = Object.getOwnPropertySymbols(template).find((s) => s.description === 'mongoose#Model#subclassed');
    if (sym) Object.defineProperty(template, SUBCLASSED, { value: sym });
  }
  return sym ? (holder[sym] as unknown[] | undefined) : undefined;
}

/** The model registry for one tenant connection (`org_<slug>_db`); use tenantModels(slug) instead. */
export function registerTenantModels(conn: Connection): TenantModels {
  templates ??= compile(mongoose.createConnection());
  const out: Record<string, AnyModel> = {};
  for (const [name, template] of Object.entries(templates) as Array<[string, AnyModel]>) {
    const sub = (template as unknown as { __subclass(c: Connection, s?: unknown, coll?: string): AnyModel }).__subclass(
      conn,
      undefined,
      template.collection.collectionName,
    );
    (conn.models as Record<string, AnyModel>)[name] = sub; // so conn.model(name) and populate() find it
    out[name] = sub;
  }
  return out as TenantModels;
}

/** Forget a tenant's subclasses (LRU eviction), or the parents would keep them alive forever. */
export function releaseTenantModels(models: TenantModels): void {
  if (!templates) return;
  for (const [name, sub] of Object.entries(models)) {
    const list = subclassList((templates as Record<string, AnyModel>)[name]!);
    const i = list?.indexOf(sub) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }
}

/** Create every collection and index of a tenant database; idempotent (provisioning, migrations). */
export async function ensureTenantIndexes(models: TenantModels): Promise<void> {
  // Collections are independent: build them concurrently (one round trip of latency, not 50).
  await Promise.all(
    Object.values(models).map(async (model) => {
      await model.createCollection().catch((err: { codeName?: string }) => {
        if (err.codeName !== 'NamespaceExists') throw err;
      });
      await model.createIndexes();
    }),
  );
}

export * from './people';
export * from './inbox';
export * from './inbox-channel';
export * from './commerce';
export * from './team-chat';
export * from './system';
