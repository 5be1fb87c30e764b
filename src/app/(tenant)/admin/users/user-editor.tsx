'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, CheckList, ErrorText, Field, SelectField } from '../_ui/kit';
import { useDirectory } from './use-directory';

interface EditableUser {
  id: string;
  displayName: string;
  role: string;
  status?: string | null;
  teamIds?: unknown[];
  branchId?: unknown;
  skills?: string[];
  maxConcurrent?: number | null;
  isProtected?: boolean | null;
}

/** Role, teams, branch, skills and capacity of one user; changing scope signs them out everywhere. */
export function UserEditor({ user, onDone }: { user: EditableUser; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const dir = useDirectory();
  const [form, setForm] = useState({
    role: user.role,
    teamIds: (user.teamIds ?? []).map(String),
    branchId: user.branchId ? String(user.branchId) : '',
    skills: (user.skills ?? []).join(', '),
    maxConcurrent: String(user.maxConcurrent ?? 5),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const save = useMutation(trpc.admin.users.update.mutationOptions({ onSuccess: async () => (await refresh(), onDone()) }));
  const setActive = useMutation(trpc.admin.users.setActive.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      id: user.id,
      role: form.role,
      teamIds: form.teamIds,
      branchId: form.branchId || null,
      skills: form.skills.split(',').map((s) => s.trim()).filter(Boolean),
      maxConcurrent: Number(form.maxConcurrent),
    });
  };
  const p = `edit-${user.id}`;
  return (
    <form onSubmit={submit} className="bg-muted mt-3 grid gap-3 rounded-lg p-3 sm:grid-cols-2" aria-label={`Edit ${user.displayName}`}>
      <SelectField id={`${p}-role`} label="Role" value={form.role} disabled={!!user.isProtected} onChange={(e) => setForm({ ...form, role: e.target.value })}>
        {dir.roles.map((r) => (
          <option key={r.name}>{r.name}</option>
        ))}
      </SelectField>
      <SelectField id={`${p}-branch`} label="Branch" value={form.branchId} onChange={(e) => setForm({ ...form, branchId: e.target.value })}>
        <option value="">No branch</option>
        {dir.branches.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </SelectField>
      <div className="sm:col-span-2">
        <CheckList legend="Teams" name={`${p}-teams`} options={dir.teams} value={form.teamIds} onChange={(teamIds) => setForm({ ...form, teamIds })} />
      </div>
      <Field id={`${p}-skills`} label="Skills (comma-separated)" value={form.skills} onChange={(e) => setForm({ ...form, skills: e.target.value })} />
      <Field id={`${p}-max`} label="Max concurrent conversations" type="number" min={0} max={100} value={form.maxConcurrent} onChange={(e) => setForm({ ...form, maxConcurrent: e.target.value })} />
      <div className="sm:col-span-2">
        <ErrorText error={save.error ?? setActive.error} />
      </div>
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <Button type="submit" busy={save.isPending}>
          Save changes
        </Button>
        {user.status === 'active' && !user.isProtected && (
          <Button variant="danger" busy={setActive.isPending} onClick={() => setActive.mutate({ id: user.id, active: false })}>
            Deactivate
          </Button>
        )}
        {user.status === 'inactive' && (
          <Button variant="secondary" busy={setActive.isPending} onClick={() => setActive.mutate({ id: user.id, active: true })}>
            Reactivate
          </Button>
        )}
      </div>
    </form>
  );
}
