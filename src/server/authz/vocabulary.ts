/**
 * The words of authorisation: what can be done (actions) to what (subjects). Roles stored in
 * `org.roles[].permissions` may only use these words; anything else is rejected when a role is saved.
 */
export const ACTIONS = [
  'manage', // CASL's wildcard: every action
  'read',
  'create',
  'update',
  'delete',
  'reply', // answer a customer in a conversation
  'reassign', // move a conversation to another agent or team
  'join', // join a team-chat channel
  'pin',
  'export',
] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  'all', // CASL's wildcard: every subject
  // omnichannel
  'Conversation',
  'ConversationMessage',
  'Customer',
  'Order',
  'RoutingRule',
  'SlaPolicy',
  'SlaReport',
  'Template',
  'Inbox',
  'Export',
  // organisation
  'User',
  'Role',
  'Team',
  'Branch',
  'Settings',
  'AuditLog',
  // team chat
  'Channel',
  'Message',
  'Pin',
  'File',
] as const;
export type Subject = (typeof SUBJECTS)[number];

/**
 * Placeholders a stored rule may reference; resolved by a reviver over exactly these values
 * (never by string replacement on JSON).
 */
export const PLACEHOLDERS = ['${user.id}', '${user.teamIds}', '${user.branchId}'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
