'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Badge, Card, Empty, ErrorText, Field, Loading, SelectField } from '../_ui/kit';
import { UserEditor } from './user-editor';
import { useDirectory } from './use-directory';

export function UsersTable() {
  const trpc = useTRPC();
  const dir = useDirectory();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const users = useQuery(trpc.admin.users.list.queryOptions({ search: search || undefined, role: role || undefined }));
  const [editing, setEditing] = useState<string | null>(null);
  const teamName = new Map(dir.teams.map((t) => [t.id, t.label]));
  const branchName = new Map(dir.branches.map((b) => [b.id, b.name]));

  return (
    <Card title="People" description="Role, teams and branch decide what each person sees.">
      <div className="mb-4 grid gap-3 sm:grid-cols-2">
        <Field id="user-search" label="Search" type="search" placeholder="Name or email" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField id="user-role-filter" label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">All roles</option>
          {dir.roles.map((r) => (
            <option key={r.name}>{r.name}</option>
          ))}
        </SelectField>
      </div>
      <ErrorText error={users.error ?? dir.error} />
      {users.isPending && <Loading what="users" />}
      {users.data?.length === 0 && <Empty>No one matches. Try another search, or invite someone.</Empty>}
      <ul className="divide-border divide-y" data-testid="users-list">
        {users.data?.map((u) => (
          <li key={u.id} className="py-3">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <div className="min-w-0 basis-full sm:basis-auto sm:flex-1">
                <p className="truncate font-medium">{u.displayName}</p>
                <p className="text-muted-foreground truncate text-sm">{u.email}</p>
              </div>
              <span className="text-sm" data-testid="user-role">{u.role}</span>
              <Badge>{u.status}</Badge>
              <button
                type="button"
                className="text-primary text-sm font-medium underline-offset-2 hover:underline"
                aria-expanded={editing === u.id}
                onClick={() => setEditing(editing === u.id ? null : u.id)}
              >
                {editing === u.id ? 'Close' : `Edit ${u.displayName}`}
              </button>
            </div>
            <p className="text-muted-foreground mt-1 text-xs">
              {(u.teamIds ?? []).map((t) => teamName.get(String(t)) ?? 'unknown team').join(', ') || 'No team'} ·{' '}
              {u.branchId ? (branchName.get(String(u.branchId)) ?? 'unknown branch') : 'No branch'}
              {u.skills?.length ? ` · skills: ${u.skills.join(', ')}` : ''}
            </p>
            {editing === u.id && <UserEditor user={u} onDone={() => setEditing(null)} />}
          </li>
        ))}
      </ul>
    </Card>
  );
}
