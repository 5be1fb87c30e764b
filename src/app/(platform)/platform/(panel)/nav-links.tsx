'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Organisations', match: (p: string) => p === '/' || (p.startsWith('/orgs') && p !== '/orgs/new') },
  { href: '/orgs/new', label: 'New organisation', match: (p: string) => p === '/orgs/new' },
  { href: '/audit', label: 'Audit log', match: (p: string) => p.startsWith('/audit') },
  { href: '/account', label: 'Security', match: (p: string) => p.startsWith('/account') },
];

export function NavLinks() {
  // The platform host is rewritten to /platform/...; the browser still shows the short path.
  const path = (usePathname() ?? '/').replace(/^\/platform(?=\/|$)/, '') || '/';
  return (
    <nav aria-label="Panel" className="order-last flex w-full flex-wrap gap-x-4 gap-y-1 text-sm sm:order-none sm:w-auto">
      {LINKS.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={l.match(path) ? 'page' : undefined}
          className="whitespace-nowrap opacity-80 hover:opacity-100 aria-[current=page]:font-semibold aria-[current=page]:underline aria-[current=page]:opacity-100"
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
