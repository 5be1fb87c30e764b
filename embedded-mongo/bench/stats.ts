/** Small helpers for the benchmark: percentiles, timing, formatting, /proc memory. */
import { readFileSync } from 'node:fs';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i] ?? NaN;
}

/**
 * Runs `op` up to `n` times sequentially (after up to `warmup` unmeasured runs) and returns the
 * latencies in ms, sorted. Stops early once `budgetMs` has been spent, so a slow server cannot make
 * the benchmark unbounded; the caller reports how many samples were taken.
 */
export async function latencies(n: number, warmup: number, op: (i: number) => Promise<unknown>, budgetMs = 15_000): Promise<number[]> {
  // Warm-up may use at most a fifth of the budget.
  const warmDeadline = performance.now() + budgetMs / 5;
  for (let i = 0; i < warmup && performance.now() < warmDeadline; i++) await op(i);
  const deadline = performance.now() + (budgetMs * 4) / 5;
  const out: number[] = [];
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
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

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (10 ms ticks),
 * or null if unreadable. Wall time is unreliable on a shared machine; CPU per operation is not.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return null;
  }
}
