'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Badge, Button, Card, Empty, ErrorText, Loading } from '../_ui/kit';
import { FIELDS, RuleForm, type RuleDraft } from './rule-form';

const label = Object.fromEntries(FIELDS);

/** The ordered rule list: edit in place, move up and down, delete. */
export function RoutingAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rules = useQuery(trpc.routing.list.queryOptions());
  const teams = useQuery(trpc.admin.teams.list.queryOptions());
  const onSuccess = () => qc.invalidateQueries({ queryKey: trpc.routing.list.queryKey() });
  const upsert = useMutation(trpc.routing.upsert.mutationOptions({ onSuccess: async () => { await onSuccess(); setEditing(null); } }));
  const reorder = useMutation(trpc.routing.reorder.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.routing.remove.mutationOptions({ onSuccess }));
  const [editing, setEditing] = useState<string | null>(null);
  const list = (rules.data ?? []) as unknown as Array<RuleDraft & { id: string }>;
  const teamList = (teams.data ?? []).map((t) => ({ id: t.id, name: t.name }));
  const teamName = (id?: string) => teamList.find((t) => t.id === id)?.name ?? 'a team';
  const move = (i: number, d: -1 | 1) => {
    const ids = list.map((r) => r.id);
    [ids[i], ids[i + d]] = [ids[i + d]!, ids[i]!];
    reorder.mutate({ ids });
  };
  const save = (r: RuleDraft) => upsert.mutate({ ...r, actions: { ...r.actions, teamId: r.actions.teamId || undefined } });
  const blank: RuleDraft = { name: '', order: ((list.at(-1)?.order ?? 0) as number) + 10, enabled: true, conditions: [{ field: 'keyword', op: 'contains', value: '' }], actions: {} };
  return (
    <Card title="Rules, in order" actions={editing !== 'new' ? <Button onClick={() => setEditing('new')}>New rule</Button> : undefined}>
      <ErrorText error={upsert.error ?? reorder.error ?? remove.error ?? rules.error} />
      {editing === 'new' && <div className="mb-4"><RuleForm initial={blank} teams={teamList} busy={upsert.isPending} onSave={save} onCancel={() => setEditing(null)} /></div>}
      {rules.isPending ? <Loading what="routing rules" /> : list.length === 0 && editing !== 'new' ? (
        <Empty>No rules yet: every conversation goes to any eligible agent. Add a rule to route by keywords, channel or customer.</Empty>
      ) : (
        <ol className="divide-border divide-y" data-testid="rule-list">
          {list.map((r, i) => (
            <li key={r.id} className="py-3">
              {editing === r.id ? (
                <RuleForm initial={{ ...r, actions: { ...r.actions, teamId: r.actions.teamId ? String(r.actions.teamId) : undefined } }} teams={teamList} busy={upsert.isPending} onSave={save} onCancel={() => setEditing(null)} />
              ) : (
                <div className="flex flex-wrap items-start gap-3">
                  <span className="text-muted-foreground w-6 pt-0.5 text-sm tabular-nums">{i + 1}.</span>
                  <div className="min-w-0 flex-1 basis-60">
                    <p className="font-medium">{r.name} {!r.enabled && <Badge>disabled</Badge>}</p>
                    <p className="text-muted-foreground text-sm">
                      When {r.conditions.length ? r.conditions.map((c) => `${c.field === 'attribute' ? `attribute ${c.key}` : label[c.field]} ${Array.isArray(c.value) ? `is any of ${c.value.join(', ')}` : `“${c.value}”`}`).join(' and ') : 'any message'}
                      {' → '}
                      {[r.actions.teamId && `team ${teamName(String(r.actions.teamId))}`, r.actions.requiredSkills?.length && `skills ${r.actions.requiredSkills.join(', ')}`, r.actions.priority && `priority ${r.actions.priority}`, r.actions.labels?.length && `labels ${r.actions.labels.join(', ')}`].filter(Boolean).join('; ') || 'no change'}
                    </p>
                  </div>
                  <div className="ml-9 flex gap-1 sm:ml-0">
                    <Button variant="secondary" aria-label={`Move ${r.name} up`} disabled={i === 0 || reorder.isPending} onClick={() => move(i, -1)}>↑</Button>
                    <Button variant="secondary" aria-label={`Move ${r.name} down`} disabled={i === list.length - 1 || reorder.isPending} onClick={() => move(i, 1)}>↓</Button>
                    <Button variant="secondary" onClick={() => setEditing(r.id)}>Edit</Button>
                    <Button variant="secondary" onClick={() => { if (confirm(`Delete the rule “${r.name}”?`)) remove.mutate({ id: r.id }); }}>Delete</Button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
