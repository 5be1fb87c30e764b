'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { describeRule } from '@/server/authz/describe';
import type { StoredRule } from '@/server/authz/rules';
import { useAbility } from '@/lib/ability';
import { useTRPC } from '@/trpc/client';
import { Button, Card, ErrorText, Field } from '../_ui/kit';
import { cellKey, fromRules, GRID, SCOPE_LABEL, scopesFor, toRules, type Scope } from './permission-grid';

interface RoleData {
  name: string;
  level: number;
  description?: string;
  permissions: StoredRule[];
}

/** Grid of what the role may do on each kind of thing, with the result spelled out as you edit. */
export function RoleEditor({ role, onDone }: { role: RoleData | null; onDone: (name: string | null) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const ability = useAbility();
  const editable = ability.can('update', 'Role');
  const initial = useMemo(() => fromRules(role?.permissions ?? []), [role]);
  const [name, setName] = useState(role?.name ?? '');
  const [level, setLevel] = useState(String(role?.level ?? 10));
  const [description, setDescription] = useState(role?.description ?? '');
  const [fullAccess, setFullAccess] = useState(initial.fullAccess);
  const [cells, setCells] = useState(initial.cells);
  const rules = toRules(fullAccess, cells, initial.other);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.roles.list.queryKey() });
  const save = useMutation(trpc.admin.roles.save.mutationOptions({ onSuccess: async () => (await refresh(), onDone(name.trim())) }));
  const remove = useMutation(trpc.admin.roles.delete.mutationOptions({ onSuccess: async () => (await refresh(), onDone(null)) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ originalName: role?.name ?? null, role: { name: name.trim(), level: Number(level), description: description || undefined, permissions: rules } });
  };
  return (
    <Card title={role ? `Role: ${role.name}` : 'New role'} description={editable ? 'Pick a scope for each permission.' : 'You can view this role but not change it.'}>
      <form onSubmit={submit} className="space-y-5" aria-label="Role editor">
        <fieldset disabled={!editable} className="space-y-5">
          <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
            <Field id="role-name" label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
            <Field id="role-level" label="Level (0–100)" type="number" min={0} max={100} required value={level} onChange={(e) => setLevel(e.target.value)} />
          </div>
          <Field id="role-description" label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={fullAccess} onChange={(e) => setFullAccess(e.target.checked)} />
            Full access: everything in the organisation
          </label>
          {!fullAccess && (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[32rem] text-sm">
                <caption className="sr-only">Permissions by kind of thing</caption>
                <tbody className="divide-border divide-y">
                  {GRID.map((row) => (
                    <tr key={row.subject}>
                      <th scope="row" className="py-2 pr-3 text-left align-top font-medium whitespace-nowrap">
                        {row.label}
                      </th>
                      <td className="py-2">
                        <div className="flex flex-wrap gap-2">
                          {row.actions.map((a) => {
                            const id = `perm-${row.subject}-${a}`;
                            return (
                              <label key={a} htmlFor={id} className="border-border inline-flex items-center gap-1.5 rounded-md border px-2 py-1">
                                <span>{a}</span>
                                <select
                                  id={id}
                                  className="bg-transparent text-sm"
                                  value={cells[cellKey(row.subject, a)] ?? 'none'}
                                  onChange={(e) => setCells({ ...cells, [cellKey(row.subject, a)]: e.target.value as Scope })}
                                >
                                  {scopesFor(row.subject).map((s) => (
                                    <option key={s} value={s}>
                                      {SCOPE_LABEL[s]}
                                    </option>
                                  ))}
                                </select>
                              </label>
                            );
                          })}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </fieldset>
        <section aria-live="polite" className="bg-muted rounded-lg p-3 text-sm" data-testid="role-summary">
          <h3 className="mb-1 font-medium">In plain words, this role can:</h3>
          {rules.length === 0 ? <p>Nothing yet.</p> : <ul className="list-disc space-y-0.5 pl-5">{rules.map((r, i) => <li key={i}>{describeRule(r)}</li>)}</ul>}
        </section>
        <ErrorText error={save.error ?? remove.error} />
        {editable && (
          <div className="flex flex-wrap gap-2">
            <Button type="submit" busy={save.isPending}>
              {role ? 'Save role' : 'Create role'}
            </Button>
            {role && (
              <Button variant="danger" busy={remove.isPending} onClick={() => window.confirm(`Delete the role "${role.name}"?`) && remove.mutate({ name: role.name })}>
                Delete role
              </Button>
            )}
          </div>
        )}
      </form>
    </Card>
  );
}
