import { redis, rkey } from '../redis';

/** Records that a probe job ran (a counter, so a test can tell "ran once" from "ran twice"). */
export async function recordProbe(id: string): Promise<void> {
  const key = rkey('probe', id);
  await redis().multi().incr(key).expire(key, 3600).exec();
}

export async function probeRuns(id: string): Promise<number> {
  return Number((await redis().get(rkey('probe', id))) ?? 0);
}
