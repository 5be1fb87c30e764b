'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/trpc/client';
import { Button, Card, Empty, ErrorText, Field, Loading, SelectField } from '../_ui/kit';
import { BusinessHoursEditor, type Hours } from './business-hours-editor';

type Priority = 'low' | 'normal' | 'high' | 'urgent';
type Target = { priority: Priority; teamId?: string; firstResponseMinutes: number; resolutionMinutes: number };
interface Policy { firstResponseMinutes: number; resolutionMinutes: number; targets?: Target[]; businessHours?: Hours | null }

/** The SLA policy: defaults, targets per priority (and team), business hours; recent breaches. */
export function SlaAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const policy = useQuery(trpc.routing.sla.queryOptions());
  const teams = useQuery(trpc.admin.teams.list.queryOptions());
  const breaches = useQuery(trpc.sla.breaches.queryOptions({ limit: 20 }));
  const [p, setP] = useState<Policy | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (policy.data && !p) setP(policy.data as Policy); }, [policy.data, p]);
  const save = useMutation(trpc.routing.setSla.mutationOptions({ onSuccess: async () => { setSaved(true); await qc.invalidateQueries({ queryKey: trpc.routing.sla.queryKey() }); } }));
  if (policy.isPending || !p) return policy.error ? <ErrorText error={policy.error} /> : <Loading what="the SLA policy" />;
  const targets = p.targets ?? [];
  const setTarget = (i: number, patch: Partial<Target>) => setP({ ...p, targets: targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const num = (v: string) => Math.max(1, Math.round(Number(v) || 1));
  return (
    <form className="space-y-6" onSubmit={(e) => { e.preventDefault(); setSaved(false); save.mutate({ ...p, targets, businessHours: p.businessHours ?? null }); }}>
      <Card title="Default targets" description="Used when no target below matches a conversation's priority and team.">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field id="sla-first" label="First response (minutes)" type="number" min={1} required value={p.firstResponseMinutes} onChange={(e) => setP({ ...p, firstResponseMinutes: num(e.target.value) })} />
          <Field id="sla-resolution" label="Resolution (minutes)" type="number" min={1} required value={p.resolutionMinutes} onChange={(e) => setP({ ...p, resolutionMinutes: num(e.target.value) })} />
        </div>
      </Card>
      <Card title="Targets per priority and team" description="The most specific match wins: priority and team, then priority alone.">
        {targets.length === 0 && <Empty>No specific targets: every conversation uses the defaults.</Empty>}
        <ul className="space-y-3">
          {targets.map((t, i) => (
            <li key={i} className="border-border grid gap-2 rounded-md border p-3 sm:grid-cols-5 sm:items-end">
              <SelectField id={`t${i}-priority`} label="Priority" value={t.priority} onChange={(e) => setTarget(i, { priority: e.target.value as Priority })}>
                {['urgent', 'high', 'normal', 'low'].map((v) => <option key={v}>{v}</option>)}
              </SelectField>
              <SelectField id={`t${i}-team`} label="Team" value={t.teamId ?? ''} onChange={(e) => setTarget(i, { teamId: e.target.value || undefined })}>
                <option value="">Any team</option>
                {(teams.data ?? []).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
              </SelectField>
              <Field id={`t${i}-first`} label="First response (min)" type="number" min={1} value={t.firstResponseMinutes} onChange={(e) => setTarget(i, { firstResponseMinutes: num(e.target.value) })} />
              <Field id={`t${i}-res`} label="Resolution (min)" type="number" min={1} value={t.resolutionMinutes} onChange={(e) => setTarget(i, { resolutionMinutes: num(e.target.value) })} />
              <Button type="button" variant="secondary" onClick={() => setP({ ...p, targets: targets.filter((_, j) => j !== i) })}>Remove</Button>
            </li>
          ))}
        </ul>
        <div className="mt-3">
          <Button type="button" variant="secondary" onClick={() => setP({ ...p, targets: [...targets, { priority: 'urgent', firstResponseMinutes: 5, resolutionMinutes: 120 }] })}>Add target</Button>
        </div>
      </Card>
      <Card title="Business hours" description="Due times pause outside these hours.">
        <BusinessHoursEditor value={p.businessHours ?? null} onChange={(businessHours) => setP({ ...p, businessHours })} />
      </Card>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={save.isPending}>Save SLA policy</Button>
        {saved && <span role="status" className="text-sm text-green-800">Saved. New conversations use it from now on.</span>}
      </div>
      <ErrorText error={save.error} />
      <Card title="Recent breaches">
        {breaches.isPending ? <Loading what="breaches" /> : breaches.error ? <ErrorText error={breaches.error} /> : breaches.data.length === 0 ? (
          <Empty>No breaches. Each one notifies the assigned agent and the team leads.</Empty>
        ) : (
          <ul className="divide-border divide-y text-sm">
            {breaches.data.map((b) => (
              <li key={b.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span>{b.data.kind === 'first_response' ? 'First response' : 'Resolution'} late on conversation {b.conversationId.slice(-6)}</span>
                <time className="text-muted-foreground" dateTime={String(b.at)}>{new Date(b.at).toLocaleString()}</time>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </form>
  );
}
