'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ADMIN_SECTIONS } from './admin-sections';
import { useAbility } from '@/lib/ability';

/**
 * Sections appear only for those who may open them (the server refuses the rest anyway). On phones
 * the links wrap instead of scrolling sideways, so none (the current one included) is out of sight.
 */
export function AdminNav() {
  const ability = useAbility();
  const path = usePathname() ?? '';
  return (
    <nav aria-label="Admin" className="order-last flex w-full flex-wrap gap-x-4 gap-y-1.5 text-sm sm:order-none sm:w-auto">
      {ADMIN_SECTIONS.filter((l) => ability.can(l.action, l.subject)).map((l) => (
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
