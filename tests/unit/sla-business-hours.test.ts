import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessHoursInput, isOpen } from '@/server/services/sla/business-hours';

// Monday to Friday 09:00-17:00 in New York (UTC-5 in winter, UTC-4 in summer).
const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
const ny = { timezone: 'America/New_York', days: weekdays };

describe('SLA due times in business hours', () => {
  it('counts only open minutes: Friday 16:30 + 60 min is Monday 09:30 local', () => {
    const fri = new Date('2026-01-09T21:30:00Z'); // Friday 16:30 in New York
    expect(addBusinessMinutes(fri, 60, ny).toISOString()).toBe('2026-01-12T14:30:00.000Z');
  });

  it('a message before opening starts the clock at opening; inside hours it is plain minutes', () => {
    expect(addBusinessMinutes(new Date('2026-01-13T11:00:00Z'), 15, ny).toISOString()).toBe('2026-01-13T14:15:00.000Z'); // 06:00 -> 09:15
    expect(addBusinessMinutes(new Date('2026-01-13T15:00:00Z'), 15, ny).toISOString()).toBe('2026-01-13T15:15:00.000Z');
  });

  it('spans several days (3 business days of 8 hours) and keeps seconds exact', () => {
    const mon = new Date('2026-01-12T14:00:30Z'); // Monday 09:00:30
    expect(addBusinessMinutes(mon, 3 * 480, ny).toISOString()).toBe('2026-01-15T14:00:30.000Z');
  });

  it('follows the wall clock across a DST change (US spring forward, 8 March 2026)', () => {
    const fri = new Date('2026-03-06T21:00:00Z'); // Friday 16:00 EST
    expect(addBusinessMinutes(fri, 120, ny).toISOString()).toBe('2026-03-09T14:00:00.000Z'); // Monday 10:00 EDT
  });

  it('without business hours the target is plain minutes; open/closed answers for routing', () => {
    const t = new Date('2026-01-10T12:00:00Z');
    expect(addBusinessMinutes(t, 90, null).getTime() - t.getTime()).toBe(90 * 60_000);
    expect(isOpen(ny, new Date('2026-01-12T15:00:00Z'))).toBe(true);
    expect(isOpen(ny, new Date('2026-01-10T15:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(null, t)).toBe(true);
  });

  it('refuses unknown zones and windows that end before they start', () => {
    expect(businessHoursInput.safeParse({ timezone: 'Mars/Olympus', days: [] }).success).toBe(false);
    expect(businessHoursInput.safeParse({ timezone: 'UTC', days: [{ day: 1, start: '17:00', end: '09:00' }] }).success).toBe(false);
  });
});
