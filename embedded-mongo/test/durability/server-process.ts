/** Starts server-child.ts as a single node process (no tsx wrapper, so SIGKILL hits the server itself). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-child.ts');

export interface ServerProcess {
  proc: ChildProcess;
  uri: string;
  /** Everything the server wrote to stderr so far (its log). */
  stderr(): string;
  /** Resolves with the exit code/signal once the process is gone (reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServerProcess(dataDir: string, timeoutMs = 30_000): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/READY (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, uri: m[1]!, stderr: () => err, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready; stderr:\n${err}`));
    });
  });
}
