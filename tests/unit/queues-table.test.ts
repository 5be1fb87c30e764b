import { describe, expect, it } from 'vitest';
import { JOBS, QUEUES, QUEUE_KEYS } from '@/server/queues';

/**
 * Queue names are data in Redis (waiting and delayed jobs live under them): a deployed name must
 * never be renamed or reused. Add every new queue name to DEPLOYED when it ships; removing or
 * renaming one then fails here instead of silently stranding jobs in production.
 */
const DEPLOYED = ['system', 'inbox-ingest', 'inbox-outbound', 'assignment', 'inbox-media'];

describe('queue table', () => {
  it('keeps every deployed queue name', () => {
    const names = QUEUE_KEYS.map((k) => QUEUES[k].name);
    for (const name of DEPLOYED) expect(names).toContain(name);
  });

  it('lists every queue in DEPLOYED once, with a unique name', () => {
    const names = QUEUE_KEYS.map((k) => QUEUES[k].name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => !DEPLOYED.includes(n))).toEqual([]);
  });

  it('runs every job on a queue of the table, under a unique <domain>.<verb> name', () => {
    const jobNames = JOBS.map((j) => j.name);
    expect(new Set(jobNames).size).toBe(jobNames.length);
    for (const job of JOBS) {
      expect(QUEUE_KEYS).toContain(job.queue);
      expect(job.name).toMatch(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9.-]*$/);
    }
  });
});
