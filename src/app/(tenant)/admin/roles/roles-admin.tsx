'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, ErrorText, Loading } from '../_ui/kit';
import { RoleEditor } from './role-editor';

/** Roles by level, each with its permissions in words; pick one to edit, or start a new one. */
export function RolesAdmin() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.admin.roles.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  if (roles.isPending) return <Loading what="roles" />;
  if (roles.error) return <ErrorText error={roles.error} />;
  const current = selected === '__new__' ? null : roles.data.find((r) => r.name === selected);
  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
      <div className="space-y-3">
        <ul className="space-y-2" data-testid="roles-list">
          {roles.data.map((r) => (
            <li key={r.name}>
              <button
                type="button"
                aria-pressed={selected === r.name}
                onClick={() => setSelected(r.name)}
                className="border-border hover:bg-muted aria-pressed:border-primary aria-pressed:ring-primary w-full rounded-lg border px-3 py-2 text-left aria-pressed:ring-1"
              >
                <span className="font-medium">{r.name}</span>
                <span className="text-muted-foreground block text-xs">
                  level {r.level} · {r.userCount} user{r.userCount === 1 ? '' : 's'}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <Button variant="secondary" className="w-full" onClick={() => setSelected('__new__')}>
          New role
        </Button>
      </div>
      {selected === null ? (
        <Card title="What each role can do">
          <dl className="space-y-4 text-sm">
            {roles.data.map((r) => (
              <div key={r.name}>
                <dt className="font-medium">{r.name}</dt>
                <dd className="text-muted-foreground">{r.summary.join('; ')}.</dd>
              </div>
            ))}
          </dl>
        </Card>
      ) : (
        <RoleEditor key={selected} role={current ?? null} onDone={(name) => setSelected(name)} />
      )}
    </div>
  );
}
