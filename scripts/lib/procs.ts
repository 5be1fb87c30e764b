import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

/**
 * Child-process helpers shared by the dev launcher, the production start script and the test
 * harnesses. Each child runs in its own process group so stop() also ends what it spawned (next
 * dev spawns workers, tsx watch spawns node).
 */
export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<number | null>;
  /** The last lines it printed (kept even when quiet, for failure messages). */
  output: () => string;
}

const COLORS = [36, 35, 33, 32, 34];

export function spawnProc(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, opts: { quiet?: boolean; color?: number } = {}): Proc {
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const color = opts.color ?? COLORS[name.length % COLORS.length];
  const prefix = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m ` : `[${name}] `;
  const tail: string[] = [];
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buf = '';
    stream?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 200) tail.shift();
        if (!opts.quiet) out.write(prefix + line + '\n');
      }
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig); // the whole group
      } catch {
        /* already gone */
      }
    };
    kill(signal);
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return { name, child, exited, stop, output: () => tail.join('\n') };
}

/** GET until it answers with an accepted status (any by default), or throw after timeoutMs. */
export async function waitForHttp(url: string, opts: { timeoutMs?: number; host?: string; ok?: (status: number) => boolean } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last = '';
  while (Date.now() < deadline) {
    try {
      const status = await httpStatus(url, opts.host);
      if (!opts.ok || opts.ok(status)) return;
      last = `status ${status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up: ${last}`);
}

export function httpStatus(url: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: host ? { host } : {}, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
