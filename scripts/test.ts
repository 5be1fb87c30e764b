/**
 * `npm test`: the whole suite, in the order that fails fastest, with timings.
 *   typecheck + lint (side by side: each is one single-threaded process)
 *   -> vitest (unit + integration, real Redis, embedded MongoDB)
 *   -> next build -> end-to-end (Chromium against the built app with realtime and worker)
 * TEST_STEPS=vitest,e2e runs a subset.
 */
import { spawn } from 'node:child_process';

type Step = { name: string; script: string };
const stages: Step[][] = [
  [
    { name: 'typecheck', script: 'typecheck' },
    { name: 'lint', script: 'lint' },
  ],
  [{ name: 'vitest', script: 'test:unit' }],
  [{ name: 'build', script: 'build' }],
  [{ name: 'e2e', script: 'test:e2e' }],
];

const only = process.env.TEST_STEPS?.split(',');
const timings: string[] = [];
const started = Date.now();

/** Runs one npm script; parallel steps buffer their output so it prints in one piece. */
function run(step: Step, buffered: boolean): Promise<number> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('npm', ['run', '--silent', step.script], { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      if (buffered) process.stdout.write(`\n=== ${step.name} ===\n${out}`);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      timings.push(`  ${step.name.padEnd(10)} ${secs.padStart(6)} s  ${code === 0 ? 'ok' : 'FAILED'}`);
      resolve(code ?? 1);
    });
  });
}

for (const stage of stages) {
  const steps = stage.filter((s) => !only || only.includes(s.name));
  if (steps.length === 0) continue;
  if (steps.length === 1) console.log(`\n=== ${steps[0]!.name} ===`);
  const codes = await Promise.all(steps.map((s) => run(s, steps.length > 1)));
  const failed = steps.filter((_, i) => codes[i] !== 0).map((s) => s.name);
  if (failed.length) {
    console.error(`\n${timings.join('\n')}\n\nnpm test: ${failed.join(', ')} failed`);
    process.exit(1);
  }
}
const total = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n${timings.join('\n')}\n  total      ${total.padStart(6)} s\n\nnpm test: all green`);
