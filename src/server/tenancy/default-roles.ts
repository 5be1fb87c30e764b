import type { StoredRule } from '../authz/rules';

/**
 * The roles every organisation starts with (DESIGN.md section 5, merging both seeds). They are
 * copied into `org.roles[]` at provisioning and can be edited per organisation afterwards.
 *
 * Scopes are expressed as conditions on the documents' own fields:
 *   Conversation.assigneeId / teamId / branchId, SlaReport.agentId / teamId / branchId,
 *   Message.senderId, Channel.visibility.
 * Placeholders are resolved per user by src/server/authz/interpolate.ts.
 */
export interface RoleDefinition {
  name: string;
  level: number;
  description: string;
  permissions: StoredRule[];
}

const teamChatBasics: StoredRule[] = [
  { action: ['read', 'join'], subject: 'Channel', conditions: { visibility: 'public' } },
  { action: 'read', subject: 'Channel', conditions: { memberIds: '${user.id}' } },
  { action: 'read', subject: ['Message', 'Pin'] },
  { action: 'create', subject: 'Message' },
  { action: ['update', 'delete'], subject: 'Message', conditions: { senderId: '${user.id}' } },
  { action: 'create', subject: 'File' },
  { action: ['read'], subject: 'File' },
  { action: 'delete', subject: 'File', conditions: { uploadedBy: '${user.id}' } },
  { action: 'read', subject: ['User', 'Team', 'Branch'] },
];

const teamChatModeration: StoredRule[] = [
  { action: ['create', 'update', 'delete', 'read', 'join'], subject: 'Channel' },
  { action: ['delete', 'pin'], subject: 'Message' },
  { action: ['create', 'delete'], subject: 'Pin' },
  { action: 'delete', subject: 'File' },
];

export const DEFAULT_ROLES: RoleDefinition[] = [
  {
    name: 'Admin',
    level: 100,
    description: 'Everything in the organisation, including users and roles.',
    permissions: [{ action: 'manage', subject: 'all' }],
  },
  {
    name: 'Operations',
    level: 80,
    description: 'Runs the operation: all conversations, routing, SLA, exports and audit logs.',
    permissions: [
      { action: ['read', 'reply', 'reassign', 'update'], subject: 'Conversation' },
      { action: ['read', 'create'], subject: 'ConversationMessage' },
      { action: ['read', 'update'], subject: ['Customer', 'Order'] },
      { action: 'manage', subject: ['RoutingRule', 'SlaPolicy', 'Template', 'Inbox'] },
      { action: 'read', subject: 'SlaReport' },
      { action: 'create', subject: 'Export' },
      { action: 'read', subject: 'AuditLog' },
      ...teamChatBasics,
      ...teamChatModeration,
    ],
  },
  {
    name: 'Team Lead',
    level: 60,
    description: "Leads teams: their teams' conversations and reports, reassignment within them.",
    permissions: [
      { action: ['read', 'update'], subject: 'Conversation', conditions: { teamId: { $in: '${user.teamIds}' } } },
      { action: 'reply', subject: 'Conversation' },
      { action: 'reassign', subject: 'Conversation', conditions: { teamId: { $in: '${user.teamIds}' } } },
      { action: ['read', 'create'], subject: 'ConversationMessage' },
      { action: 'read', subject: ['Customer', 'Order', 'Template'] },
      { action: 'read', subject: 'SlaReport', conditions: { teamId: { $in: '${user.teamIds}' } } },
      ...teamChatBasics,
      ...teamChatModeration,
    ],
  },
  {
    name: 'Branch Manager',
    level: 50,
    description: "Oversees a branch: its conversations and reports, read only.",
    permissions: [
      { action: 'read', subject: 'Conversation', conditions: { branchId: '${user.branchId}' } },
      { action: 'read', subject: 'ConversationMessage' },
      { action: 'read', subject: ['Customer', 'Order'] },
      { action: 'read', subject: 'SlaReport', conditions: { branchId: '${user.branchId}' } },
      ...teamChatBasics,
    ],
  },
  {
    name: 'Agent',
    level: 20,
    description: 'Answers the conversations assigned to them.',
    permissions: [
      { action: ['read', 'reply', 'update'], subject: 'Conversation', conditions: { assigneeId: '${user.id}' } },
      { action: ['read', 'create'], subject: 'ConversationMessage' },
      { action: 'read', subject: ['Customer', 'Order', 'Template'] },
      { action: 'read', subject: 'SlaReport', conditions: { agentId: '${user.id}' } },
      ...teamChatBasics,
    ],
  },
  {
    name: 'Member',
    level: 10,
    description: 'Team chat only (the default role for new users).',
    permissions: [...teamChatBasics],
  },
];

export const DEFAULT_ROLE_NAME = 'Member';
