import type { JobDefinition } from './define';
import { ingestJob, sendJob } from './jobs/inbox';
import { notifyJob, probeJob } from './jobs/system';
import { noAnswerJob, presenceJob, sweepJob } from '../services/assignment/jobs';
import { slaCheckJob } from '../services/sla/jobs';
import { mediaDownloadJob } from '../services/inbox/media-job';

/** Every job the worker knows. A job name appears once; the worker refuses unknown names. */
export const JOBS: readonly JobDefinition[] = [notifyJob, probeJob, ingestJob, sendJob, noAnswerJob, presenceJob, sweepJob, slaCheckJob, mediaDownloadJob];

const byName = new Map<string, JobDefinition>();
for (const job of JOBS) {
  if (byName.has(job.name)) throw new Error(`Duplicate job name ${job.name}`);
  byName.set(job.name, job);
}

export function jobByName(name: string): JobDefinition | undefined {
  return byName.get(name);
}
