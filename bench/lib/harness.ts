import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Shared pieces of the benchmark scripts: the embedded MongoDB in a child process, percentiles. */
export async function startMongoChild(): Promise<{ uri: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'embedded-mongo/bin/embedded-mongo.ts', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`embedded-mongo exited (${code})`)));
  });
  // A benchmark that crashes must not leave its database server behind.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  return {
    uri,
    pid: child.pid!,
    stop: () => {
      process.off('exit', orphanGuard);
      child.kill('SIGTERM');
    },
  };
}

export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export const ms = (x: number) => `${x < 1 ? x.toFixed(4) : x.toFixed(1)} ms`;
