import type { StoredRule } from './rules';

/**
 * Stored rules in plain words for the role editor ("Read and reply to conversations assigned to
 * them"), so an admin can see what a role can do without reading CASL.
 */
const SUBJECT_WORDS: Record<string, string> = {
  all: 'everything',
  Conversation: 'conversations',
  ConversationMessage: 'conversation messages',
  Customer: 'customers',
  Order: 'orders',
  RoutingRule: 'routing rules',
  SlaPolicy: 'SLA policies',
  SlaReport: 'SLA reports',
  Template: 'message templates',
  Inbox: 'inboxes',
  Export: 'data exports',
  User: 'users',
  Role: 'roles',
  Team: 'teams',
  Branch: 'branches',
  Settings: 'settings',
  AuditLog: 'the audit log',
  Channel: 'team-chat channels',
  Message: 'team-chat messages',
  Pin: 'pins',
  File: 'files',
};

const ACTION_WORDS: Record<string, string> = { reply: 'reply to' };

const SCOPE_WORDS: Array<[RegExp, string]> = [
  [/"(assigneeId|agentId)":"\$\{user\.id\}"/, 'assigned to them'],
  [/"(senderId|uploadedBy|createdBy)":"\$\{user\.id\}"/, 'of their own'],
  [/"memberIds":"\$\{user\.id\}"/, 'they are a member of'],
  [/"teamId":\{"\$in":"\$\{user\.teamIds\}"\}/, 'in their teams'],
  [/"branchId":"\$\{user\.branchId\}"/, 'in their branch'],
  [/"visibility":"public"/, 'that are public'],
];

const list = (words: string[]) => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);
const arr = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);

export function describeRule(rule: StoredRule): string {
  const actions = list(arr(rule.action).map((a) => ACTION_WORDS[a] ?? a));
  const subjects = list(arr(rule.subject).map((s) => SUBJECT_WORDS[s] ?? s));
  let scope = '';
  if (rule.conditions) {
    const json = JSON.stringify(rule.conditions);
    scope = SCOPE_WORDS.find(([re]) => re.test(json))?.[1] ?? `matching ${json}`;
  }
  const text = `${actions} ${subjects}${scope ? ` ${scope}` : ''}${rule.fields ? ` (fields: ${arr(rule.fields).join(', ')})` : ''}`;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return rule.inverted ? `Cannot: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence;
}
