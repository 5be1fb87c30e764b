/**
 * `npm test`: the whole suite, in the order that fails fastest, with timings.
 *   typecheck -> lint -> vitest (unit + integration, real Redis, embedded MongoDB)
 *   -> next build -> end-to-end (Chromium against the built app with realtime and worker)
 */
import { spawnSync } from 'node:child_process';

const steps: Array<[string, string[]]> = [
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
  ['vitest', ['run', 'test:unit']],
  ['build', ['run', 'build']],
  ['e2e', ['run', 'test:e2e']],
];

const only = process.env.TEST_STEPS?.split(',');
const timings: string[] = [];
const started = Date.now();
for (const [name, args] of steps) {
  if (only && !only.includes(name)) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const res = spawnSync('npm', args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  timings.push(`  ${name.padEnd(10)} ${secs.padStart(6)} s  ${res.status === 0 ? 'ok' : 'FAILED'}`);
  if (res.status !== 0) {
    console.error(`\n${timings.join('\n')}\n\nnpm test: ${name} failed`);
    process.exit(res.status ?? 1);
  }
}
console.log(`\n${timings.join('\n')}\n  total      ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s\n\nnpm test: all green`);
