'use client';

import { Button, Field } from '../_ui/kit';

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export type Hours = { timezone: string; days: Array<{ day: number; start: string; end: string }> };

/** Weekly opening hours: one start/end per day that is open. */
export function BusinessHoursEditor({ value, onChange }: { value: Hours | null; onChange: (v: Hours | null) => void }) {
  if (!value) {
    return (
      <div className="space-y-2">
        <p className="text-muted-foreground text-sm">Targets run around the clock.</p>
        <Button type="button" variant="secondary" onClick={() => onChange({ timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, days: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })) })}>
          Count only business hours
        </Button>
      </div>
    );
  }
  const dayOf = (d: number) => value.days.find((x) => x.day === d);
  const setDay = (d: number, patch: { start?: string; end?: string } | null) => {
    const rest = value.days.filter((x) => x.day !== d);
    onChange({ ...value, days: patch === null ? rest : [...rest, { day: d, start: '09:00', end: '17:00', ...dayOf(d), ...patch }].sort((a, b) => a.day - b.day) });
  };
  return (
    <div className="space-y-3">
      <Field id="bh-tz" label="Time zone" required value={value.timezone} onChange={(e) => onChange({ ...value, timezone: e.target.value })} />
      <div className="space-y-2">
        {DAY_NAMES.map((name, d) => {
          const w = dayOf(d);
          return (
            <div key={d} className="flex flex-wrap items-center gap-3 text-sm">
              <label className="inline-flex w-32 items-center gap-2">
                <input type="checkbox" checked={Boolean(w)} onChange={(e) => setDay(d, e.target.checked ? {} : null)} /> {name}
              </label>
              {w ? (
                <>
                  <label className="sr-only" htmlFor={`bh-${d}-start`}>{name} opens</label>
                  <input id={`bh-${d}-start`} type="time" className="border-border bg-background rounded-md border px-2 py-1" value={w.start} onChange={(e) => setDay(d, { start: e.target.value })} />
                  <span aria-hidden>–</span>
                  <label className="sr-only" htmlFor={`bh-${d}-end`}>{name} closes</label>
                  <input id={`bh-${d}-end`} type="time" className="border-border bg-background rounded-md border px-2 py-1" value={w.end} onChange={(e) => setDay(d, { end: e.target.value })} />
                </>
              ) : (
                <span className="text-muted-foreground">Closed</span>
              )}
            </div>
          );
        })}
      </div>
      <Button type="button" variant="secondary" onClick={() => onChange(null)}>Run around the clock instead</Button>
    </div>
  );
}
