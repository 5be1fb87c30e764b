'use client';

import { useState } from 'react';
import { Button, Field, SelectField } from '../_ui/kit';

export const FIELDS = [
  ['keyword', 'Message contains'],
  ['channel', 'Channel'],
  ['inboxId', 'Inbox id'],
  ['language', 'Language'],
  ['tag', 'Customer tag'],
  ['attribute', 'Customer attribute'],
  ['businessHours', 'Business hours (open/closed)'],
  ['branchId', 'Branch'],
] as const;
type FieldName = (typeof FIELDS)[number][0];
export interface RuleDraft {
  id?: string;
  name: string;
  order: number;
  enabled: boolean;
  conditions: Array<{ field: FieldName; key?: string; op: 'equals' | 'contains' | 'in'; value: string | string[] }>;
  actions: { teamId?: string; requiredSkills?: string[]; priority?: 'low' | 'normal' | 'high' | 'urgent'; labels?: string[] };
}
const words = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** One rule: name, conditions (all must hold), actions. Values separated by commas mean "any of". */
export function RuleForm({ initial, teams, busy, onSave, onCancel }: { initial: RuleDraft; teams: Array<{ id: string; name: string }>; busy: boolean; onSave: (r: RuleDraft) => void; onCancel: () => void }) {
  const [r, setR] = useState(initial);
  const setCond = (i: number, patch: Partial<RuleDraft['conditions'][number]>) =>
    setR({ ...r, conditions: r.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const p = `rule-${initial.id ?? 'new'}`;
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ ...r, conditions: r.conditions.map((c) => ({ ...c, op: Array.isArray(c.value) ? 'in' : c.op })) });
      }}
    >
      <Field id={`${p}-name`} label="Rule name" required maxLength={80} value={r.name} onChange={(e) => setR({ ...r, name: e.target.value })} />
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" checked={r.enabled} onChange={(e) => setR({ ...r, enabled: e.target.checked })} /> Enabled
      </label>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">When all of these hold</legend>
        {r.conditions.length === 0 && <p className="text-muted-foreground text-sm">No conditions: this rule matches every message.</p>}
        {r.conditions.map((c, i) => (
          <div key={i} className="border-border grid gap-2 rounded-md border p-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
            <SelectField id={`${p}-c${i}-field`} label="Condition" value={c.field} onChange={(e) => setCond(i, { field: e.target.value as FieldName })}>
              {FIELDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </SelectField>
            <Field
              id={`${p}-c${i}-value`}
              label={c.field === 'businessHours' ? 'open or closed' : 'Value (commas: any of)'}
              required
              value={Array.isArray(c.value) ? c.value.join(', ') : c.value}
              onChange={(e) => { const v = words(e.target.value); setCond(i, { value: v.length > 1 ? v : e.target.value.trim(), op: c.field === 'keyword' ? 'contains' : v.length > 1 ? 'in' : 'equals' }); }}
            />
            <Button type="button" variant="secondary" onClick={() => setR({ ...r, conditions: r.conditions.filter((_, j) => j !== i) })} aria-label={`Remove condition ${i + 1}`}>Remove</Button>
            {c.field === 'attribute' && <Field id={`${p}-c${i}-key`} label="Attribute name" required value={c.key ?? ''} onChange={(e) => setCond(i, { key: e.target.value })} />}
          </div>
        ))}
        <Button type="button" variant="secondary" onClick={() => setR({ ...r, conditions: [...r.conditions, { field: 'keyword', op: 'contains', value: '' }] })}>Add condition</Button>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Then</legend>
        <SelectField id={`${p}-team`} label="Team" value={r.actions.teamId ?? ''} onChange={(e) => setR({ ...r, actions: { ...r.actions, teamId: e.target.value || undefined } })}>
          <option value="">Any team</option>
          {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </SelectField>
        <SelectField id={`${p}-priority`} label="Priority" value={r.actions.priority ?? ''} onChange={(e) => setR({ ...r, actions: { ...r.actions, priority: (e.target.value || undefined) as RuleDraft['actions']['priority'] } })}>
          <option value="">Unchanged</option>
          {['low', 'normal', 'high', 'urgent'].map((v) => <option key={v} value={v}>{v}</option>)}
        </SelectField>
        <Field id={`${p}-skills`} label="Required skills (commas)" value={(r.actions.requiredSkills ?? []).join(', ')} onChange={(e) => setR({ ...r, actions: { ...r.actions, requiredSkills: words(e.target.value) } })} />
        <Field id={`${p}-labels`} label="Labels (commas)" value={(r.actions.labels ?? []).join(', ')} onChange={(e) => setR({ ...r, actions: { ...r.actions, labels: words(e.target.value) } })} />
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" busy={busy}>Save rule</Button>
        <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
