import type { Subject } from '@/server/authz';

/** The admin console's sections, in menu order, with the permission that opens each. */
export const ADMIN_SECTIONS: ReadonlyArray<{ href: string; label: string; subject: Subject; action: 'read' | 'update' }> = [
  { href: '/admin/users', label: 'Users', subject: 'User', action: 'update' },
  { href: '/admin/teams', label: 'Teams', subject: 'Team', action: 'update' },
  { href: '/admin/branches', label: 'Branches', subject: 'Branch', action: 'update' },
  { href: '/admin/roles', label: 'Roles', subject: 'Role', action: 'read' },
  { href: '/admin/routing', label: 'Routing', subject: 'RoutingRule', action: 'update' },
  { href: '/admin/sla', label: 'SLA', subject: 'SlaPolicy', action: 'update' },
  { href: '/admin/inboxes', label: 'Inboxes', subject: 'Inbox', action: 'update' },
  { href: '/admin/templates', label: 'Templates', subject: 'Template', action: 'update' },
  { href: '/admin/canned', label: 'Canned responses', subject: 'Settings', action: 'update' },
  { href: '/admin/audit', label: 'Audit log', subject: 'AuditLog', action: 'read' },
];
