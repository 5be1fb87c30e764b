import { spawnProc, waitForHttp, type Proc } from './procs';

/**
 * The processes of the platform as children of one launcher: web (Next.js), realtime
 * (Socket.IO), worker (BullMQ) and, when `ingestPort` is given, ingest (webhooks without Next).
 * Used by `npm run dev` (watch mode), `npm start` (production build) and the end-to-end harness (production build on test ports).
 */
export interface StackOptions {
  mode: 'dev' | 'prod';
  webPort: number;
  realtimePort: number;
  /** Start the ingest process on this port (production); without it the Next routes serve webhooks. */
  ingestPort?: number;
  env: NodeJS.ProcessEnv;
  quiet?: boolean;
  /** Web instances in prod mode (the PM2 file runs 2; here 1 is enough). */
}

export interface Stack {
  procs: Proc[];
  stop: () => Promise<void>;
}

const bin = (name: string) => `node_modules/.bin/${name}`;

export async function startStack(opts: StackOptions): Promise<Stack> {
  // Next must not try to patch package-lock.json (it phones the registry) nor send telemetry.
  const env = {
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_IGNORE_INCORRECT_LOCKFILE: '1',
    ...opts.env,
    PORT: String(opts.webPort),
    REALTIME_PORT: String(opts.realtimePort),
    ...(opts.ingestPort === undefined ? {} : { INGEST_PORT: String(opts.ingestPort) }),
  };
  // Production: one node process per entry (`--import tsx`), so SIGTERM reaches our handler
  // directly. Development: tsx watch restarts on change.
  const node = (name: string, entry: string) =>
    opts.mode === 'dev'
      ? spawnProc(name, bin('tsx'), ['watch', '--clear-screen=false', entry], env, { quiet: opts.quiet })
      : spawnProc(name, process.execPath, ['--import', 'tsx', entry], env, { quiet: opts.quiet });
  const procs = [
    node('realtime', 'realtime/index.ts'),
    node('worker', 'worker/index.ts'),
    ...(opts.ingestPort === undefined ? [] : [node('ingest', 'ingest/index.ts')]),
    spawnProc('web', bin('next'), [opts.mode === 'dev' ? 'dev' : 'start', '-p', String(opts.webPort)], env, { quiet: opts.quiet }),
  ];
  const stop = async () => {
    // Worker first gets SIGTERM like everyone else; it finishes running jobs before exiting.
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 15_000)));
  };
  try {
    const early = Promise.race(procs.map((p) => p.exited.then((code) => Promise.reject(new Error(`${p.name} exited early (code ${code})`)))));
    await Promise.race([
      Promise.all([
        waitForHttp(`http://127.0.0.1:${opts.realtimePort}/health`, { timeoutMs: 60_000 }),
        waitForHttp(`http://127.0.0.1:${opts.webPort}/api/health`, { timeoutMs: 180_000 }),
        ...(opts.ingestPort === undefined ? [] : [waitForHttp(`http://127.0.0.1:${opts.ingestPort}/healthz`, { timeoutMs: 60_000 })]),
      ]),
      early,
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { procs, stop };
}
