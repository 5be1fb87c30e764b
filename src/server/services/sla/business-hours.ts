import { z } from 'zod';

/**
 * Business hours in the organisation's time zone: weekly windows (0 = Sunday). Minutes are counted
 * only inside the windows. Uses Intl's time-zone database (no date library needed for wall-clock
 * reads); jumps window by window, re-reading the wall clock after each jump so DST shifts correct
 * themselves.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use HH:MM');
export const businessHoursInput = z.strictObject({
  timezone: z.string().min(1).max(64).refine(validZone, 'Unknown time zone'),
  days: z
    .array(z.strictObject({ day: z.number().int().min(0).max(6), start: hhmm, end: hhmm }))
    .max(21)
    .refine((d) => d.every((w) => toMin(w.start) < toMin(w.end)), 'Each window must end after it starts'),
});
export type BusinessHours = z.output<typeof businessHoursInput>;

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
const WEEK = 7 * 1440;
const DAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minute of the week (0 = Sunday 00:00) on the wall clock of `tz`, with the seconds left in that minute. */
export function weekMinute(at: Date, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return DAYS[parts.weekday!]! * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
}

/** Windows as [start, end) minute-of-week ranges, sorted. */
function windows(bh: BusinessHours): Array<[number, number]> {
  return bh.days.map((d) => [d.day * 1440 + toMin(d.start), d.day * 1440 + toMin(d.end)] as [number, number]).sort((a, b) => a[0] - b[0]);
}

export function isOpen(bh: BusinessHours | null | undefined, at: Date): boolean {
  if (!bh) return true;
  const m = weekMinute(at, bh.timezone);
  return windows(bh).some(([s, e]) => m >= s && m < e);
}

/** `start` plus `minutes` of business time; without business hours, plain minutes. */
export function addBusinessMinutes(start: Date, minutes: number, bh: BusinessHours | null | undefined): Date {
  if (!bh || !bh.days.length) return new Date(start.getTime() + minutes * 60_000);
  const wins = windows(bh);
  let t = start.getTime();
  let left = minutes * 60_000;
  for (let guard = 0; guard < 10_000; guard++) {
    const at = new Date(t);
    const secs = at.getUTCSeconds() * 1000 + at.getUTCMilliseconds();
    const m = weekMinute(at, bh.timezone);
    const open = wins.find(([s, e]) => m >= s && m < e);
    if (open) {
      const room = (open[1] - m) * 60_000 - secs; // ms to the end of this window
      if (left <= room) return new Date(t + left);
      left -= room;
      t += room;
    } else {
      const next = wins.map(([s]) => (s - m + WEEK) % WEEK).filter((d) => d > 0);
      if (!next.length) return new Date(start.getTime() + minutes * 60_000); // no window at all
      const gap = Math.min(...next);
      t += gap * 60_000 - secs;
      // A DST change inside the gap moves the wall clock: land exactly on the window's opening.
      const drift = (weekMinute(new Date(t), bh.timezone) - ((m + gap) % WEEK) + WEEK) % WEEK;
      if (drift && drift < 180) t -= drift * 60_000;
      else if (drift > WEEK - 180) t += (WEEK - drift) * 60_000;
    }
  }
  throw new Error('business hours: no progress');
}
