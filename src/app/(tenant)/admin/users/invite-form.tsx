'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, CheckList, ErrorText, Field, SelectField } from '../_ui/kit';
import { useDirectory } from './use-directory';

/** Invite by email: the identity service creates the invited user and mails a single-use link. */
export function InviteForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const dir = useDirectory();
  const [form, setForm] = useState({ email: '', displayName: '', role: 'Member', teamIds: [] as string[], branchId: '' });
  const [sent, setSent] = useState<string | null>(null);
  const invite = useMutation(
    trpc.admin.users.invite.mutationOptions({
      onSuccess: async () => {
        setSent(form.email);
        setForm((f) => ({ ...f, email: '', displayName: '', teamIds: [] }));
        await qc.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    invite.mutate({ email: form.email, displayName: form.displayName || undefined, role: form.role, teamIds: form.teamIds, branchId: form.branchId || null });
  };
  return (
    <Card title="Invite someone" description="They get an email with a link that works once, for 7 days.">
      <form onSubmit={submit} className="space-y-3" aria-label="Invite a user">
        <Field id="invite-email" label="Email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <Field id="invite-name" label="Name (optional)" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        <SelectField id="invite-role" label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
          {dir.roles.map((r) => (
            <option key={r.name}>{r.name}</option>
          ))}
        </SelectField>
        <CheckList legend="Teams" name="invite-teams" options={dir.teams} value={form.teamIds} onChange={(teamIds) => setForm({ ...form, teamIds })} />
        <SelectField id="invite-branch" label="Branch" value={form.branchId} onChange={(e) => setForm({ ...form, branchId: e.target.value })}>
          <option value="">No branch</option>
          {dir.branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <ErrorText error={invite.error} />
        {sent && (
          <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
            Invitation sent to {sent}.
          </p>
        )}
        <Button type="submit" busy={invite.isPending} className="w-full">
          Send invitation
        </Button>
      </form>
    </Card>
  );
}
