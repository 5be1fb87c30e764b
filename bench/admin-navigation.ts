/**
 * Admin console navigation probe (issue 5's intermittent e2e stall):
 *   NEXT_DIST_DIR=.next-nav npx next build     (once; a production build of your own)
 *   NEXT_DIST_DIR=.next-nav npx tsx bench/admin-navigation.ts   [--rounds 30 --hogs 4]
 *
 * The real web process (`next start`) on the embedded MongoDB with the demo seed, and Debian's
 * Chromium. Each round signs the demo Admin in on a fresh browser context and clicks through the
 * admin sections the moment each link can be clicked (as Playwright does: right after hydration,
 * while the other links still prefetch), timing click-to-rendered-page. A navigation that has not
 * rendered after 30 s is a stall; the probe then records whether a second click recovers it.
 * `--hogs K` runs K busy-loop processes meanwhile: the stall needs CPU contention to show.
 * Prints latency percentiles, stalls, the load average, and one SUMMARY line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { DEMO_USERS } from '../src/server/services/demo/demo-data';
import { spawnProc } from '../scripts/lib/procs';
import { pct } from './lib/harness';
import { startBenchStack } from './lib/stack';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isFinite(v) ? v : def;
};
const rounds = arg('rounds', 30);
const hogCount = arg('hogs', 0);
const SECTIONS = ['Teams', 'Branches', 'Roles', 'Audit log', 'Users'];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const stack = await startBenchStack({ run: `nav${process.pid}`, quiet: true });
  const hogs: ChildProcess[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const seed = spawnProc('seed', 'node_modules/.bin/tsx', ['scripts/seed.ts'], process.env, { quiet: true });
    if ((await seed.exited) !== 0) throw new Error(`demo seed failed:\n${seed.output()}`);
    await stack.start('web');
    for (let i = 0; i < hogCount; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));

    const admin = DEMO_USERS.find((u) => u.role === 'Admin')!;
    const base = `http://demo.localhost:${stack.webPort}`;
    const times: number[] = [];
    const stalls: string[] = [];
    console.log(`rounds ${rounds}, hogs ${hogCount}, load at start ${load()}`);
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${base}/sign-in?next=${encodeURIComponent('/admin/users')}`);
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByLabel('Password').press('Enter');
      await page.waitForURL('**/admin/users', { timeout: 60_000 });
      for (const section of SECTIONS) {
        const link = page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: section });
        const heading = page.getByRole('heading', { level: 1, name: section, exact: true });
        await link.waitFor({ timeout: 60_000 });
        const t0 = performance.now();
        await link.click();
        const rendered = await heading.waitFor({ timeout: 30_000 }).then(
          () => true,
          () => false,
        );
        if (rendered) {
          times.push(performance.now() - t0);
          continue;
        }
        await link.click();
        const recovered = await heading.waitFor({ timeout: 20_000 }).then(
          () => 'a second click recovered it',
          () => 'a second click did not help',
        );
        stalls.push(`round ${round} ${section} (still on ${new URL(page.url()).pathname}; ${recovered})`);
        console.log(`STALL ${stalls.at(-1)} load ${load()}`);
        break;
      }
      await context.close();
    }

    const navigations = times.length + stalls.length;
    console.log(
      `click -> page rendered: n=${times.length} p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms, p99 ${pct(times, 99).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
    console.log(`web CPU ${stack.usage().web?.cpuMs ?? 0} ms in total; load average ${load()}`);
    console.log(
      `SUMMARY admin navigation: ${stalls.length} stalls in ${navigations} navigations (${rounds} rounds, ${hogCount} hogs), p95 ${pct(times, 95).toFixed(0)} ms, load ${load()} -> ${stalls.length === 0 ? 'OK' : 'STALLS'}`,
    );
    process.exitCode = stalls.length === 0 ? 0 : 1;
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    await browser.close();
    await stack.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
