'use client';

import { useState, type FormEvent } from 'react';
import { Button, Card, Empty, ErrorText, Field, Loading } from './kit';

/**
 * A list of named things (teams, branches) with a create form and inline edit and delete. The page
 * wires its own procedures; this only renders and collects values.
 */
export interface ItemField {
  key: string;
  label: string;
  required?: boolean;
}
interface Item {
  id: string;
  memberCount: number;
  [key: string]: unknown;
}
interface Props {
  noun: string;
  fields: ItemField[];
  items: Item[] | undefined;
  loading: boolean;
  error: { message: string } | null;
  busy: boolean;
  onCreate: (values: Record<string, string>) => Promise<unknown>;
  onUpdate: (id: string, values: Record<string, string>) => Promise<unknown>;
  onDelete: (id: string) => Promise<unknown>;
}

const blank = (fields: ItemField[]) => Object.fromEntries(fields.map((f) => [f.key, '']));

function ItemForm({ id, fields, initial, submitLabel, busy, onSubmit }: { id: string; fields: ItemField[]; initial: Record<string, string>; submitLabel: string; busy: boolean; onSubmit: (v: Record<string, string>) => Promise<unknown> }) {
  const [values, setValues] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSubmit(values).then(() => id === 'new' && setValues(blank(fields)), () => undefined);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end" aria-label={submitLabel}>
      {fields.map((f) => (
        <div key={f.key} className="sm:flex-1">
          <Field id={`${id}-${f.key}`} label={f.label} required={f.required} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
        </div>
      ))}
      <Button type="submit" busy={busy}>
        {submitLabel}
      </Button>
    </form>
  );
}

export function ItemList({ noun, fields, items, loading, error, busy, onCreate, onUpdate, onDelete }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const values = (item: Item) => Object.fromEntries(fields.map((f) => [f.key, String(item[f.key] ?? '')]));
  return (
    <div className="space-y-6">
      <Card title={`New ${noun}`}>
        <ItemForm id="new" fields={fields} initial={blank(fields)} submitLabel={`Create ${noun}`} busy={busy} onSubmit={onCreate} />
      </Card>
      <ErrorText error={error} />
      {loading && <Loading what={`${noun}s`} />}
      {items?.length === 0 && <Empty>No {noun}s yet. Create the first one above.</Empty>}
      <ul className="space-y-3" data-testid={`${noun}-list`}>
        {items?.map((item) => (
          <li key={item.id} className="border-border rounded-lg border p-3">
            <div className="flex flex-wrap items-center gap-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium">{String(item.name)}</p>
                <p className="text-muted-foreground text-sm">
                  {fields.slice(1).map((f) => item[f.key]).filter(Boolean).join(' · ') || '—'} · {item.memberCount} member{item.memberCount === 1 ? '' : 's'}
                </p>
              </div>
              <Button variant="secondary" aria-expanded={editing === item.id} onClick={() => setEditing(editing === item.id ? null : item.id)}>
                {editing === item.id ? 'Close' : 'Edit'}
              </Button>
              <Button
                variant="danger"
                busy={busy}
                onClick={() => window.confirm(`Delete ${noun} "${String(item.name)}"? Its members stay, without it.`) && void onDelete(item.id)}
              >
                Delete
              </Button>
            </div>
            {editing === item.id && (
              <div className="mt-3">
                <ItemForm id={item.id} fields={fields} initial={values(item)} submitLabel="Save" busy={busy} onSubmit={(v) => onUpdate(item.id, v).then(() => setEditing(null))} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
