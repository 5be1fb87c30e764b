'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Subject } from '@/server/authz';
import { useAbility } from '@/lib/ability';

/**
 * Sections appear only for those who may open them (the server refuses the rest anyway). On phones
 * the links wrap instead of scrolling sideways, so none (the current one included) is out of sight.
 */
const LINKS: Array<{ href: string; label: string; subject: Subject; action: 'read' | 'update' }> = [
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

export function AdminNav() {
  const ability = useAbility();
  const path = usePathname() ?? '';
  return (
    <nav aria-label="Admin" className="order-last flex w-full flex-wrap gap-x-4 gap-y-1.5 text-sm sm:order-none sm:w-auto">
      {LINKS.filter((l) => ability.can(l.action, l.subject)).map((l) => (
        <Link
          key={l.href}
          href={l.href}
          // Full prefetch, not Next's partial default. A partial prefetch stops at (tenant)/loading.tsx,
          // so a click commits a tree without the page and fetches it in a second router update
          // (layout-router's lazy fetch + server patch). Clicked right after hydration on a busy
          // machine, that path can leave the navigation's transition suspended with nothing left to
          // ping it: the page never renders until the next click. Fully prefetched (or awaited by
          // the click), a navigation is one update. Probe: bench/admin-navigation.ts.
          prefetch
          aria-current={path.startsWith(l.href) ? 'page' : undefined}
          className="whitespace-nowrap opacity-85 hover:opacity-100 aria-[current=page]:font-semibold aria-[current=page]:underline aria-[current=page]:opacity-100"
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
