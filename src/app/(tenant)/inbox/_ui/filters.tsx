'use client';

import { useEffect, useState } from 'react';
import { cap, CHANNEL_LABELS, PRIORITIES, STATUSES } from './labels';

export interface FilterState {
  status?: (typeof STATUSES)[number];
  channel?: string;
  priority?: (typeof PRIORITIES)[number];
  label?: string;
  q?: string;
}

const select = 'border-border bg-background rounded-md border px-2 py-1 text-sm';

/** Status, channel, priority and label filters, and a search over message text (debounced). */
export function Filters({ value, onChange }: { value: FilterState; onChange: (v: FilterState) => void }) {
  const [q, setQ] = useState(value.q ?? '');
  const [label, setLabel] = useState(value.label ?? '');
  useEffect(() => {
    const t = setTimeout(() => {
      if ((value.q ?? '') !== q.trim() || (value.label ?? '') !== label.trim())
        onChange({ ...value, q: q.trim() || undefined, label: label.trim() || undefined });
    }, 300);
    return () => clearTimeout(t);
  }, [q, label, value, onChange]);
  const set = (k: keyof FilterState) => (e: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ ...value, [k]: e.target.value || undefined });
  return (
    <div className="border-border flex flex-col gap-2 border-b p-2" role="search">
      <label className="sr-only" htmlFor="inbox-search">
        Search messages
      </label>
      <input
        id="inbox-search"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search messages…"
        className="border-border rounded-md border px-2 py-1.5 text-sm"
      />
      <div className="flex flex-wrap gap-2">
        <label className="sr-only" htmlFor="f-status">
          Status
        </label>
        <select id="f-status" aria-label="Status" className={select} value={value.status ?? ''} onChange={set('status')}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {cap(s)}
            </option>
          ))}
        </select>
        <select id="f-channel" aria-label="Channel" className={select} value={value.channel ?? ''} onChange={set('channel')}>
          <option value="">Any channel</option>
          {Object.entries(CHANNEL_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <select id="f-priority" aria-label="Priority" className={select} value={value.priority ?? ''} onChange={set('priority')}>
          <option value="">Any priority</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {cap(p)}
            </option>
          ))}
        </select>
        <input
          aria-label="Label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder="Label"
          className={`${select} w-24`}
        />
      </div>
    </div>
  );
}
