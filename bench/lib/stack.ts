import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { spawnProc, waitForHttp, type Proc } from '../../scripts/lib/procs';
import { startMongoChild } from './harness';

/**
 * The real platform for benchmarks: the embedded MongoDB (unless MONGO_URI is set), and web
 * (`next start` from a production build), worker, realtime and ingest as separate processes, each with
 * its own ports, Redis prefix, databases and throwaway secrets. The benchmark process gets the same
 * environment (process.env), so what it provisions is readable by the stack (same encryption key).
 * `usage()` reads CPU time and RSS of every process (with its children) from /proc, for per-stage costs.
 */
export type ProcName = 'mongo' | 'web' | 'worker' | 'realtime' | 'ingest';

export interface BenchStack {
  env: Record<string, string>;
  webPort: number;
  realtimePort: number;
  ingestPort: number;
  start: (name: Exclude<ProcName, 'mongo'>) => Promise<void>;
  usage: () => Record<string, { cpuMs: number; rssMB: number }>;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms (user + system, children that exited included) and RSS of a process and all its descendants. */
export function treeUsage(root: number): { cpuMs: number; rssMB: number } {
  const procs: Array<{ pid: number; ppid: number; cpuMs: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
      procs.push({ pid: Number(entry), ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS });
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs)
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
  }
  let cpuMs = 0;
  let rssMB = 0;
  for (const p of procs) {
    if (!inTree.has(p.pid)) continue;
    cpuMs += p.cpuMs;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      rssMB += rss ? Number(rss[1]) / 1024 : 0;
    } catch {
      /* gone meanwhile */
    }
  }
  return { cpuMs, rssMB };
}

export async function startBenchStack(opts: { run: string; distDir?: string; quiet?: boolean }): Promise<BenchStack> {
  const distDir = opts.distDir ?? (process.env.NEXT_DIST_DIR || '.next');
  const mongo = process.env.MONGO_URI ? undefined : await startMongoChild();
  const [webPort, realtimePort, ingestPort] = [await freePort(), await freePort(), await freePort()];
  const secret = () => randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_IGNORE_INCORRECT_LOCKFILE: '1',
    NEXT_DIST_DIR: distDir,
    MONGO_URI: process.env.MONGO_URI ?? mongo!.uri,
    PLATFORM_DB_NAME: `bench_platform_${opts.run}`,
    REDIS_PREFIX: `bench-${opts.run}`,
    BASE_DOMAIN: 'localhost',
    PUBLIC_PROTOCOL: 'http',
    REALTIME_PUBLIC_URL: `http://localhost:${realtimePort}`,
    SUPER_ADMIN_JWT_SECRET: secret(),
    REALTIME_TOKEN_SECRET: secret(),
    AUTH_SECRET: secret(),
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ENCRYPTION_ACTIVE_KEY_ID: 'bench',
    LOG_LEVEL: 'warn',
    PORT: String(webPort),
    REALTIME_PORT: String(realtimePort),
    INGEST_PORT: String(ingestPort),
  };
  Object.assign(process.env, env);
  const childEnv = { ...process.env, ...env };
  const procs = new Map<string, Proc>();
  const pids = new Map<string, number>(mongo ? [['mongo', mongo.pid]] : []);

  const start = async (name: Exclude<ProcName, 'mongo'>) => {
    let proc: Proc;
    // BENCH_WEB_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p' (and _WORKER_, _REALTIME_, _INGEST_) profiles one stage.
    const nodeArgs = (process.env[`BENCH_${name.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
    if (name === 'web') {
      if (!existsSync(`${distDir}/BUILD_ID`))
        throw new Error(`No production build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npx next build\` first`);
      const next = ['node_modules/next/dist/bin/next', 'start', '-p', String(webPort)];
      proc = spawnProc('web', process.execPath, [...nodeArgs, ...next], childEnv, { quiet: opts.quiet });
    } else {
      proc = spawnProc(name, process.execPath, [...nodeArgs, '--import', 'tsx', `${name}/index.ts`], childEnv, { quiet: opts.quiet });
    }
    procs.set(name, proc);
    // A benchmark that crashes must not leave its servers behind (each runs in its own group).
    process.once('exit', () => {
      try {
        process.kill(-proc.child.pid!, 'SIGTERM');
      } catch {
        /* already stopped */
      }
    });
    pids.set(name, proc.child.pid!);
    const ready =
      name === 'web'
        ? waitForHttp(`http://127.0.0.1:${webPort}/api/health`, { timeoutMs: 180_000 })
        : name === 'realtime'
          ? waitForHttp(`http://127.0.0.1:${realtimePort}/health`, { timeoutMs: 120_000 })
          : name === 'ingest'
            ? waitForHttp(`http://127.0.0.1:${ingestPort}/healthz`, { timeoutMs: 120_000, ok: (s) => s === 200 })
            : waitForLine(proc, /\[worker\] processing/, 120_000);
    await Promise.race([
      ready,
      proc.exited.then((code) => Promise.reject(new Error(`${name} exited early (${code}):\n${proc.output()}`))),
    ]);
  };

  return {
    env,
    webPort,
    realtimePort,
    ingestPort,
    start,
    usage: () => Object.fromEntries([...pids].map(([name, pid]) => [name, treeUsage(pid)])),
    async stop() {
      await Promise.all([...procs.values()].map((p) => p.stop('SIGTERM', 15_000)));
      mongo?.stop();
    },
  };
}

async function waitForLine(proc: Proc, re: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (re.test(proc.output())) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${proc.name} did not start:\n${proc.output()}`);
}

/** `uptime`'s one-minute load average, to print next to every number. */
export async function loadLine(): Promise<string> {
  const os = await import('node:os');
  return `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`;
}
