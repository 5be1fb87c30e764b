import { spawnProc, waitForHttp, type Proc } from '../../scripts/lib/procs';

/**
 * (`node --import tsx`, not the tsx CLI: the CLI is a second process that relays signals, and a
 * SIGTERM arriving before it is ready kills it with 143 instead of reaching our handler.)
 *
 * The platform's processes as real children of the test, with this run's MongoDB and Redis prefix.
 * Output is kept (and printed if the process fails to start) rather than streamed into test output.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...extra };
}

export async function startRealtime(port: number, extra: Record<string, string> = {}): Promise<Proc> {
  const proc = spawnProc('realtime', process.execPath, ['--import', 'tsx', 'realtime/index.ts'], childEnv({ REALTIME_PORT: String(port), ...extra }), { quiet: !process.env.DEBUG_CHILDREN });
  await Promise.race([
    waitForHttp(`http://127.0.0.1:${port}/health`, { timeoutMs: 30_000, ok: (s) => s === 200 }),
    proc.exited.then((code) => Promise.reject(new Error(`realtime exited early (${code}):\n${proc.output()}`))),
  ]);
  return proc;
}

export function startWorker(extra: Record<string, string> = {}): Proc {
  return spawnProc('worker', process.execPath, ['--import', 'tsx', 'worker/index.ts'], childEnv(extra), { quiet: !process.env.DEBUG_CHILDREN });
}

/** Resolves once `predicate` holds, polling; rejects with `what` after timeoutMs. */
export async function eventually(predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
