/** Small helpers for the benchmark: percentiles, timing, formatting, /proc memory. */
import { readFileSync } from 'node:fs';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i];
}

/** Runs `op` `n` times sequentially (after `warmup` unmeasured runs); latencies in ms, sorted. */
export async function latencies(n: number, warmup: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await op(i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return out.sort((a, b) => a - b);
}

export const ms = (x: number) => `${x.toFixed(3)} ms`;
export const int = (x: number) => Math.round(x).toLocaleString('en-US');

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS), or null if unreadable. */
export function rssMB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
